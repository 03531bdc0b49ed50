package dev.braid.opensearch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.core5.util.Timeout;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Signs every request to OpenSearch with AWS Signature Version 4, for Amazon OpenSearch Service ({@code es}) or
 * OpenSearch Serverless ({@code aoss}), with the AWS SDK's own signer ({@link AwsV4HttpSigner}, the one opensearch-java's
 * {@code AwsSdk2Transport} uses). It is the last step of the HTTP client's chain, after retries and redirects, so each
 * attempt is signed as sent, with its own date.
 *
 * <p>Why not {@code AwsSdk2Transport}: it has no per-request timeout (the client-wide socket timeout is all), with a
 * synchronous SDK client it sends asynchronous requests on the caller's thread, and with the Apache ones it refuses
 * bodies on GET and DELETE. Signing inside the transport Braid already uses keeps {@link BoundedCall}'s limits, pools
 * and trace headers exactly as they are, with or without AWS.
 *
 * <p>Signed: the method, path, query, {@code Host}, {@code X-Amz-Date}, {@code X-Amz-Security-Token} (temporary
 * credentials: IRSA, Pod Identity) and {@code x-amz-content-sha256}, the hash of the body as sent, which Serverless
 * requires; headers added below this step (connection management, lengths) are left out of the signature.
 */
public final class SigV4Signing implements AsyncExecChainHandler {
    /** No request of Braid's comes near this; a body beyond it is refused rather than held in memory to be hashed. */
    private static final int MAX_BODY_BYTES = 256 << 20;
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

    private final String service;
    private final String region;
    private final SigningCredentials credentials;
    private final Clock clock;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * Signs for {@code service} ({@code es} or {@code aoss}) in {@code region} with the credentials of {@code provider},
     * dated by {@code clock}.
     */
    public SigV4Signing(String service, String region, AwsCredentialsProvider provider, Clock clock) {
        this.service = service;
        this.region = region;
        this.credentials = new SigningCredentials(provider, clock);
        this.clock = clock;
        // Fetched while the instance starts (STS or the agent take a while), not when the first search needs them.
        credentials.prefetch();
    }

    @Override
    public void execute(HttpRequest request, AsyncEntityProducer entity, AsyncExecChain.Scope scope,
                        AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
        byte[] body = entity == null ? null : drain(entity);
        URI uri;
        try {
            uri = request.getUri();
        } catch (URISyntaxException e) {
            throw new IOException("cannot sign a request without a valid URI: " + e.getMessage(), e);
        }
        // The authority the request is sent to; the route's target when the request carries none.
        URIAuthority authority = request.getAuthority() != null ? request.getAuthority()
                : new URIAuthority(scope.route.getTargetHost());
        String scheme = request.getScheme() != null ? request.getScheme() : scope.route.getTargetHost().getSchemeName();
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(request.getMethod()))
                .protocol(scheme)
                .host(authority.getHostName())
                .port(authority.getPort() < 0 ? null : authority.getPort())
                .encodedPath(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (!pair.isEmpty()) {
                    int equals = pair.indexOf('=');
                    unsigned.appendRawQueryParameter(
                            SdkHttpUtils.urlDecode(equals < 0 ? pair : pair.substring(0, equals)),
                            equals < 0 ? null : SdkHttpUtils.urlDecode(pair.substring(equals + 1)));
                }
            }
        }
        SdkHttpFullRequest toSign = unsigned.build();
        AwsCredentials held = credentials.now();
        if (held != null) {
            proceed(held, toSign, body, request, entity, scope, chain, callback);
            return;
        }
        // None yet (the first request, or the last ones expired): this is one of the client's I/O threads, which every
        // exchange shares, so the request goes on when the chain answers, failing after its own limit at the latest.
        credentials.next(waitFor(scope)).whenComplete((identity, failure) -> {
            if (failure != null) {
                callback.failed(failure instanceof Exception e ? e : new IOException(failure));
                return;
            }
            if (scope.cancellableDependency.isCancelled()) {
                callback.failed(new InterruptedIOException("the request was cancelled while waiting for AWS credentials"));
                return;
            }
            try {
                proceed(identity, toSign, body, request, entity, scope, chain, callback);
            } catch (HttpException | IOException | RuntimeException e) {
                callback.failed(e);
            }
        });
    }

    /** Signs {@code request} with {@code identity} and sends it on with its body replayed from {@code body}. */
    private void proceed(AwsCredentials identity, SdkHttpFullRequest toSign, byte[] body, HttpRequest request,
                         AsyncEntityProducer entity, AsyncExecChain.Scope scope, AsyncExecChain chain,
                         AsyncExecCallback callback) throws HttpException, IOException {
        SignedRequest signed = signer.sign(sign -> sign
                .identity(identity)
                .request(toSign)
                .payload(body == null ? null : ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                // The body's hash in x-amz-content-sha256 and in the signature, over HTTPS too (where the SDK would send
                // UNSIGNED-PAYLOAD by default): Serverless requires the hash, and a body changed on the way is refused.
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        // The signer's own Host header (it drops a default port): sent as signed, not as the client would write it.
        signed.request().forEachHeader((name, values) -> request.setHeader(name, values.getFirst()));
        AsyncEntityProducer replay = body == null ? null
                : new BasicAsyncEntityProducer(body, entity.getContentType() == null ? null
                        : ContentType.parse(entity.getContentType()));
        chain.proceed(request, replay, scope, callback);
    }

    /** The request's own limit (BoundedCall sets the response timeout to the time left), else a few seconds. */
    private static Duration waitFor(AsyncExecChain.Scope scope) {
        RequestConfig config = scope.clientContext.getRequestConfig();
        Timeout timeout = config == null ? null : config.getResponseTimeout();
        return timeout == null || timeout.isDisabled() ? DEFAULT_WAIT
                : Duration.ofMillis(timeout.convert(TimeUnit.MILLISECONDS));
    }

    /**
     * The body as it will be sent: the transport's entity is produced into memory once (it is there already, a byte
     * array), hashed, and replayed from these bytes.
     */
    private static byte[] drain(AsyncEntityProducer entity) throws IOException {
        Capture capture = new Capture();
        int idle = 0;
        while (!capture.ended) {
            int before = capture.bytes.size();
            entity.produce(capture);
            idle = capture.bytes.size() == before && !capture.ended ? idle + 1 : 0;
            if (idle > 1_000) {
                throw new IOException("the request body did not come to an end; it cannot be signed");
            }
        }
        entity.releaseResources();
        return capture.bytes.toByteArray();
    }

    /** A channel that keeps what is written to it. */
    private static final class Capture implements DataStreamChannel {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean ended;

        @Override
        public void requestOutput() {
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            int length = source.remaining();
            if (bytes.size() + (long) length > MAX_BODY_BYTES) {
                throw new IOException("a request body over " + (MAX_BODY_BYTES >> 20) + " MB is not signed");
            }
            byte[] chunk = new byte[length];
            source.get(chunk);
            bytes.write(chunk, 0, length);
            return length;
        }

        @Override
        public void endStream() {
            ended = true;
        }

        @Override
        public void endStream(List<? extends Header> trailers) {
            ended = true;
        }
    }

    @Override
    public String toString() {
        return "SigV4Signing[" + service + "/" + region + "]";
    }
}

package dev.braid.recommend.source;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import dev.braid.config.HttpClientConfig;
import dev.braid.observe.RequestContext;
import dev.braid.observe.Spans;
import dev.braid.observe.TraceParent;
import dev.braid.observe.TraceSpan;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.resilience.Deadline;
import dev.braid.resilience.RetryAfter;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * One HTTP downstream's client: its own connection pool of a fixed size, timeouts that never outlive the request's
 * deadline, and the translation of HTTP and socket failures into {@link SourceException}s. Blocking, for virtual threads:
 * interrupting a caller closes its socket, so a call cancelled at the deadline gives its connection up instead of
 * holding it (the pool discards a connection whose exchange failed).
 */
public final class PooledHttpClient implements AutoCloseable {
    /** Bodies larger than this are a broken downstream, not a list of candidates. */
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final SourceId source;
    private final HttpClientConfig config;
    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient client;

    public PooledHttpClient(SourceId source, HttpClientConfig config) {
        this.source = source;
        this.config = config;
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(config.maxConnections())
                .setMaxConnPerRoute(config.maxConnections())
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                                                    .setConnectTimeout(timeout(config.connectTimeout()))
                                                    .setSocketTimeout(timeout(config.timeout()))
                                                    .setTimeToLive(TimeValue.ofMinutes(5))
                                                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                                                    .build())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .setUserAgent("braid")
                .build();
    }

    /** A downstream answer: status and body, read completely so the connection can be reused. */
    public record Response(int status, byte[] body, String retryAfter) {

        /**
         * The failure this answer means when it is not a 200: 429 is throttling (with its Retry-After), a 5xx may pass
         * and is worth a retry, any other status is our mistake or the downstream's and asking again will not help.
         */
        public SourceException failure(SourceId source) {
            String what = source + " answered HTTP " + status;
            if (status == 429) {
                return SourceException.throttled(what + " (Retry-After " + retryAfter + ")",
                                                 RetryAfter.parse(retryAfter).orElse(null), null);
            }
            if (status >= 500) {
                return SourceException.transientError(what, null);
            }
            return new SourceException(SourceStatus.ERROR, what);
        }
    }

    /**
     * Sends {@code request} with the request's id and trace headers, limited by {@code deadline}.
     *
     * @throws SourceException with status timeout, rejected (pool exhausted) or error (connect failure, I/O)
     */
    public Response send(HttpUriRequestBase request, Deadline deadline) {
        Duration left = deadline.cap(config.timeout());
        if (!left.isPositive()) {
            throw new SourceException(SourceStatus.TIMEOUT, "no time left before the deadline");
        }
        request.setConfig(RequestConfig.custom()
                                  .setResponseTimeout(timeout(left))
                                  .setConnectionRequestTimeout(timeout(deadline.cap(config.poolWait())))
                                  .build());
        request.setHeader("Accept", "application/json");
        TraceSpan span = Spans.httpClient(request.getMethod(), uri(request));
        RequestContext.current().ifPresent(context -> request.setHeader("X-Request-Id", context.requestId()));
        // The downstream's spans hang under this call's span (or, unsampled or untraced, under the request's context).
        String traceparent = Spans.traceparent(span);
        if (traceparent != null) {
            request.setHeader(TraceParent.HEADER, traceparent);
            String tracestate = Spans.tracestate(span);
            if (tracestate != null) {
                request.setHeader(TraceParent.STATE_HEADER, tracestate);
            }
        }
        try {
            Response response = exchange(request);
            span.httpStatus(response.status(), true);
            return response;
        } catch (RuntimeException e) {
            span.failed(e);
            throw e;
        } finally {
            span.end();
        }
    }

    private static URI uri(HttpUriRequestBase request) {
        try {
            return request.getUri();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private Response exchange(HttpUriRequestBase request) {
        try {
            return client.execute(request, PooledHttpClient::read);
        } catch (InterruptedIOException e) {
            // Our thread was interrupted (the exchange aborted), or a socket, connect or pool timeout fired.
            if (e instanceof ConnectTimeoutException) {
                throw SourceException.transientError(source + ": connect timed out", e);
            }
            if (e instanceof ConnectionRequestTimeoutException) {
                throw new SourceException(SourceStatus.REJECTED, source + ": no free connection in the pool within "
                                                                 + config.poolWait().toMillis() + "ms", e);
            }
            throw new SourceException(SourceStatus.TIMEOUT, source + ": " + describe(e), e);
        } catch (CancellationException e) {
            // Interrupted while waiting for a pooled connection: the pool cancels the lease instead of throwing an
            // InterruptedIOException.
            throw new SourceException(SourceStatus.TIMEOUT, source + ": cancelled while waiting for a connection", e);
        } catch (ConnectException e) {
            throw SourceException.transientError(source + ": cannot connect: " + e.getMessage(), e);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new SourceException(SourceStatus.TIMEOUT, source + ": cancelled at the deadline", e);
            }
            // A reset or closed connection: the next one may well work.
            throw SourceException.transientError(source + ": " + describe(e), e);
        }
    }

    /** Connections leased and available: for tests and the admin view. */
    public PoolStats poolStats() {
        return pool.getTotalStats();
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing sockets at shutdown; nothing left to do with a failure
        }
        pool.close();
    }

    private static Response read(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        byte[] body = entity == null ? new byte[0] : EntityUtils.toByteArray(entity, MAX_BODY_BYTES);
        var retryAfter = response.getFirstHeader("Retry-After");
        return new Response(response.getCode(), body, retryAfter == null ? null : retryAfter.getValue());
    }

    private static String describe(Exception e) {
        return e instanceof SocketTimeoutException ? "timed out waiting for the answer" : e.toString();
    }

    private static Timeout timeout(Duration duration) {
        return Timeout.of(Math.max(1, duration.toMillis()), TimeUnit.MILLISECONDS);
    }
}

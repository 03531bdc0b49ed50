package dev.braid;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.braid.config.HttpClientConfig;
import dev.braid.config.InvalidConfigException;
import dev.braid.config.OpenSearchConfig;
import dev.braid.opensearch.SigV4Signing;

import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** Builds the one {@link OpenSearchClient} of an instance from its {@link OpenSearchConfig}. */
public final class OpenSearchClients {
    private static final Duration BULK_TIMEOUT = Duration.ofMinutes(2);

    private OpenSearchClients() {
    }

    /**
     * One client for the cluster, its own connection pool sized from config, time limits on every request; basic auth,
     * or every request signed with AWS SigV4 with the credentials of the AWS SDK's default chain (IRSA, Pod Identity).
     */
    public static OpenSearchClient create(OpenSearchConfig config) {
        // A chain of its own per client: the SDK's chain keeps to the provider that answered first, right for a
        // process (its environment is set once), not for one chain shared by clients made with different settings.
        return create(config, config.sigV4().enabled() ? DefaultCredentialsProvider.builder().build() : null,
                      Clock.systemUTC());
    }

    /**
     * As {@link #create(OpenSearchConfig)}, signing (when {@code opensearch.sigv4} is set) with {@code signingCredentials},
     * dated by {@code clock}: a test's own provider, or a clock that is off.
     */
    public static OpenSearchClient create(OpenSearchConfig config, AwsCredentialsProvider signingCredentials,
                                          Clock clock) {
        HttpClientConfig http = config.http();
        HttpHost host = new HttpHost(config.url().getScheme(), config.url().getHost(), config.url().getPort());
        String signingRegion = config.sigV4().enabled() ? signingRegion(config.sigV4()) : null;
        SigV4Signing signing = signingRegion == null ? null
                : new SigV4Signing(config.sigV4().service(), signingRegion, signingCredentials, clock);
        ApacheHttpClient5Transport transport = ApacheHttpClient5TransportBuilder.builder(host)
                .setMapper(new JacksonJsonpMapper(JsonMapper.builder()
                                                          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                                                          .build()))
                .setHttpClientConfigCallback(client -> {
                    client.setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                            .setMaxConnTotal(http.maxConnections())
                            .setMaxConnPerRoute(http.maxConnections())
                            .setDefaultConnectionConfig(ConnectionConfig.custom()
                                    .setConnectTimeout(millis(http.connectTimeout()))
                                    .setSocketTimeout(millis(http.timeout()))
                                    .build())
                            .build());
                    if (signing != null) {
                        // Just before the transport (httpclient5 puts "last" there): every attempt, retries and
                        // redirects included, is signed as it is sent.
                        client.addExecInterceptorLast("aws-sigv4", signing);
                    }
                    if (!config.username().isEmpty()) {
                        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                        credentials.setCredentials(new AuthScope(host),
                                                   new UsernamePasswordCredentials(config.username(),
                                                                                   config.password().toCharArray()));
                        client.setDefaultCredentialsProvider(credentials);
                    }
                    return client;
                })
                .setRequestConfigCallback(request -> request.setResponseTimeout(millis(http.timeout()))
                        .setConnectionRequestTimeout(millis(http.poolWait())))
                .build();
        return new OpenSearchClient(transport);
    }

    /**
     * A client for bulk loads and index maintenance on the configured cluster: a bulk request or a refresh takes seconds,
     * far beyond the per-request limit that protects serving.
     */
    public static OpenSearchClient forBulkLoads(OpenSearchConfig config) {
        HttpClientConfig http = config.http();
        return create(config.withHttp(new HttpClientConfig(atLeast(http.connectTimeout(), Duration.ofSeconds(5)),
                                                           atLeast(http.timeout(), BULK_TIMEOUT),
                                                           http.maxConnections(),
                                                           atLeast(http.poolWait(), Duration.ofSeconds(5)))));
    }

    /**
     * The region requests are signed for: configured, else the AWS SDK's region chain ({@code AWS_REGION}, system
     * properties, profile, instance metadata). None at all is a start-up error: every request would be refused.
     */
    private static String signingRegion(OpenSearchConfig.SigV4 sigV4) {
        if (!sigV4.region().isEmpty()) {
            return sigV4.region();
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkClientException e) {
            throw new InvalidConfigException("opensearch.sigv4.region", "must be set, or AWS_REGION: requests to "
                                                                        + sigV4.service() + " are signed for a region, and"
                                                                        + " the AWS SDK's region chain found none ("
                                                                        + e.getMessage() + ")");
        }
    }

    private static Duration atLeast(Duration configured, Duration floor) {
        return configured.compareTo(floor) < 0 ? floor : configured;
    }

    private static Timeout millis(Duration duration) {
        return Timeout.of(duration.toMillis(), TimeUnit.MILLISECONDS);
    }
}

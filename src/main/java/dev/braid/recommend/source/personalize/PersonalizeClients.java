package dev.braid.recommend.source.personalize;

import java.time.Duration;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClient;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClientBuilder;

/**
 * Builds the one Personalize Runtime client of a configured source: the AWS default credentials chain (environment,
 * system properties, web identity through STS for IRSA, profiles, container and instance metadata), the SDK's Apache 5
 * HTTP client with a connection pool of its own, no SDK retries (Braid retries each downstream in one place) and every
 * call limited by the source's timeout, each a client span whose context the request carries (W3C trace context); and
 * knows that HTTP client's own exceptions.
 *
 * @param client      the SDK client
 * @param credentials its credentials provider, which the client does not close
 */
record PersonalizeClients(PersonalizeRuntimeClient client, DefaultCredentialsProvider credentials)
        implements AutoCloseable {

    static PersonalizeClients create(PersonalizeConfig config) {
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        PersonalizeRuntimeClientBuilder builder = PersonalizeRuntimeClient.builder()
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder()
                                           .maxConnections(config.http().maxConnections())
                                           .connectionTimeout(config.http().connectTimeout())
                                           .connectionAcquisitionTimeout(config.http().poolWait())
                                           .socketTimeout(config.http().timeout())
                                           .connectionMaxIdleTime(Duration.ofSeconds(30))
                                           .connectionTimeToLive(Duration.ofMinutes(5)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(config.http().timeout())
                        .addExecutionInterceptor(new TracingInterceptor()));
        if (!config.region().isEmpty()) {
            builder.region(Region.of(config.region()));
        }
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        try {
            return new PersonalizeClients(builder.build(), credentials);
        } catch (RuntimeException e) {
            credentials.close();
            throw new IllegalStateException(
                    config.id() + ": cannot create the Personalize client: " + e.getMessage()
                    + (config.region().isEmpty() ? " (set sources." + config.id() + ".region, or AWS_REGION)" : ""), e);
        }
    }

    /** No pooled connection came free within the pool wait. */
    static boolean poolTimeout(Throwable cause) {
        return cause instanceof ConnectionRequestTimeoutException;
    }

    /** No connection could be opened within the connect timeout. */
    static boolean connectTimeout(Throwable cause) {
        return cause instanceof ConnectTimeoutException;
    }

    @Override
    public void close() {
        client.close();
        credentials.close();
    }
}

package dev.braid.recommend.source.opensearch;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

import dev.braid.OpenSearchClients;
import dev.braid.config.HttpClientConfig;
import dev.braid.config.OpenSearchConfig;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.recommend.UserHistory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.ErrorResponse;
import org.opensearch.client.opensearch._types.OpenSearchException;

import static org.assertj.core.api.Assertions.assertThat;

/** How OpenSearch's failures map onto source outcomes (no server needed: the client is never called). */
class ContentCandidateSourceTest {
    private static OpenSearchClient client;
    private static ContentCandidateSource source;

    @BeforeAll
    static void create() {
        client = OpenSearchClients.create(new OpenSearchConfig(URI.create("http://127.0.0.1:9"), "", "",
                new HttpClientConfig(Duration.ofMillis(100), Duration.ofMillis(100), 1, Duration.ofMillis(10))));
        source = new ContentCandidateSource(new ContentConfig(SourceId.of("content"), "catalog", 10, Duration.ofMillis(50)),
                                            client, UserHistory.none());
    }

    @AfterAll
    static void close() throws Exception {
        client._transport().close();
    }

    @Test
    void throttlingIsRetryableRateLimiting() {
        SourceException e = source.failure(answered(429));
        assertThat(e.status()).isEqualTo(SourceStatus.RATE_LIMITED);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void aServerErrorIsTransient() {
        SourceException e = source.failure(new ExecutionException(answered(503)));
        assertThat(e.status()).isEqualTo(SourceStatus.ERROR);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void aBadQueryIsAnErrorNoRetryFixes() {
        SourceException e = source.failure(answered(400));
        assertThat(e.status()).isEqualTo(SourceStatus.ERROR);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void networkFailuresAreTransientAndTimeoutsAreTimeouts() {
        assertThat(source.failure(new RuntimeException(new ConnectException("refused"))).retryable()).isTrue();
        assertThat(source.failure(new SocketTimeoutException("read timed out")).status()).isEqualTo(SourceStatus.TIMEOUT);
    }

    @Test
    void anythingElseIsAnErrorNoRetryFixes() {
        SourceException e = source.failure(new IllegalStateException("unparseable body"));
        assertThat(e.status()).isEqualTo(SourceStatus.ERROR);
        assertThat(e.retryable()).isFalse();
    }

    private static OpenSearchException answered(int status) {
        return new OpenSearchException(ErrorResponse.of(r -> r.status(status)
                .error(c -> c.type("test_exception").reason("status " + status))));
    }
}

package dev.braid.recommend.source.databricks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.config.HttpClientConfig;
import dev.braid.config.InvalidConfigException;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.resilience.Deadline;
import dev.braid.sim.DatabricksSimulator;
import dev.braid.sim.RecordedRequest;
import dev.braid.sim.StsSimulator;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.FaultMode;
import dev.braid.testing.MutableClock;
import dev.braid.testing.OpenSearchExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A service principal signing in with OAuth client credentials (machine to machine), against the simulated workspace's
 * token endpoint and Model Serving: tokens fetched, cached, refreshed before they expire, one fetch however many calls
 * want a token, and the failure paths (an expired or revoked token, refused credentials, a token endpoint that is down).
 * Time is the clocks' the test moves: nothing here waits for a token to expire.
 */
@ExtendWith(OpenSearchExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DatabricksOAuthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SourceId ID = SourceId.of("databricks");
    private static final String CLIENT_ID = "6f0c2a1e-braid-sp";
    private static final String CLIENT_SECRET = "dose-braid-s3cret";
    private static final String ENDPOINT = "braid-recs";

    private final MutableClock workspaceClock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final MutableClock braidClock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private DatabricksSimulator sim;
    private DatabricksCandidateSource source;

    @BeforeEach
    void start() {
        sim = new DatabricksSimulator(DemoCatalog.itemIds(500), Duration.ZERO, null, Set.of(ENDPOINT), "7")
                .servicePrincipal(CLIENT_ID, CLIENT_SECRET).clock(workspaceClock).start(0);
        source = new DatabricksCandidateSource(config(CLIENT_SECRET), braidClock);
    }

    @AfterEach
    void stop() {
        source.close();
        sim.close();
    }

    @Test
    void theFirstCallFetchesATokenWithTheClientCredentialsAndLaterCallsReuseIt() {
        CandidateBatch first = source.fetch(query());
        source.fetch(query());
        source.fetch(query());

        assertThat(first.candidates()).hasSize(10);
        assertThat(sim.tokenRequests()).isEqualTo(1);
        RecordedRequest exchange = sim.recentRequests().getFirst();
        assertThat(exchange.path()).isEqualTo("/oidc/v1/token");
        assertThat(exchange.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
        assertThat(StsSimulator.form(exchange)).containsEntry("grant_type", "client_credentials")
                .containsEntry("scope", "all-apis");
        List<String> bearers = sim.recentRequests().stream().filter(r -> r.path().endsWith("/invocations"))
                .map(r -> r.header("Authorization")).distinct().toList();
        assertThat(bearers).hasSize(1).allMatch(bearer -> bearer.startsWith("Bearer eyJ"));
    }

    @Test
    void manyCallsWithoutATokenShareOneFetch() throws Exception {
        sim.holdTokenRequests();
        List<Future<CandidateBatch>> calls = new ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 32; i++) {
                calls.add(threads.submit(() -> source.fetch(query())));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sim.tokenRequests() == 0) {
                assertThat(System.nanoTime() - deadline).as("the token endpoint was asked").isNegative();
                Thread.sleep(5);
            }
            sim.answerTokenRequests();
            for (Future<CandidateBatch> call : calls) {
                assertThat(call.get().candidates()).hasSize(10);
            }
        }

        assertThat(sim.tokenRequests()).isEqualTo(1);
    }

    @Test
    void aTokenIsRefreshedInTheBackgroundBeforeItExpiresWhileCallsGoOnWithTheCurrentOne() throws Exception {
        source.fetch(query());
        String before = lastBearer();
        // 50 minutes into an hour's token: past three quarters of its life, not yet expired.
        braidClock.advance(Duration.ofMinutes(50));
        workspaceClock.advance(Duration.ofMinutes(50));
        sim.holdTokenRequests();

        for (int i = 0; i < 10; i++) {
            assertThat(source.fetch(query()).candidates()).hasSize(10);
            assertThat(lastBearer()).isEqualTo(before);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sim.tokenRequests() < 2) {
            assertThat(System.nanoTime() - deadline).as("one refresh started").isNegative();
            Thread.sleep(5);
        }
        sim.answerTokenRequests();
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            assertThat(System.nanoTime() - deadline).as("the refreshed token is used").isNegative();
            source.fetch(query());
        } while (lastBearer().equals(before));

        assertThat(sim.tokenRequests()).isEqualTo(2);
    }

    @Test
    void anExpiredTokenIsNeverSentACallWaitsForANewOne() {
        source.fetch(query());
        String before = lastBearer();
        braidClock.advance(Duration.ofMinutes(61));
        workspaceClock.advance(Duration.ofMinutes(61));

        assertThat(source.fetch(query()).candidates()).hasSize(10);

        assertThat(lastBearer()).isNotEqualTo(before);
        assertThat(sim.tokenRequests()).isEqualTo(2);
    }

    @Test
    void aTokenTheWorkspaceCallsExpiredIsDroppedAndTheRetryGetsANewOne() {
        source.fetch(query());
        String before = lastBearer();
        // The workspace's clock is ahead of Braid's: to it the token expired, to Braid it has minutes left.
        workspaceClock.advance(Duration.ofMinutes(61));

        SourceException refused = catchThrowableOfType(SourceException.class, () -> source.fetch(query()));
        assertThat(refused.status()).isEqualTo(SourceStatus.ERROR);
        assertThat(refused.retryable()).as("a retry with a new token can work").isTrue();
        assertThat(refused.getMessage()).contains("refused its OAuth token (HTTP 401)");

        assertThat(source.fetch(query()).candidates()).hasSize(10);
        assertThat(lastBearer()).isNotEqualTo(before);
        assertThat(sim.tokenRequests()).isEqualTo(2);
    }

    @Test
    void refusedClientCredentialsFailCallsWithoutRetriesAndWithoutTheSecret() {
        try (DatabricksCandidateSource wrong = new DatabricksCandidateSource(config("not-the-s3cret"), braidClock)) {
            SourceException failed = catchThrowableOfType(SourceException.class, () -> wrong.fetch(query()));

            assertThat(failed.retryable()).isFalse();
            assertThat(failed.getMessage()).contains("refused the client credentials of service principal " + CLIENT_ID)
                    .contains("401 invalid_client").doesNotContain("not-the-s3cret");
            // Remembered for a moment: the next calls do not each ask the token endpoint again.
            catchThrowableOfType(SourceException.class, () -> wrong.fetch(query()));
            assertThat(sim.tokenRequests()).isEqualTo(1);
            assertThat(sim.recentRequests()).noneMatch(r -> r.path().endsWith("/invocations"));
        }
    }

    @Test
    void refusedClientCredentialsStopStartUpNamingTheSecret() {
        assertThatThrownBy(() -> DatabricksKind.KIND.create(config("not-the-s3cret"), null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("sources.databricks.client-secret: databricks: the workspace refused the client "
                                      + "credentials of service principal " + CLIENT_ID)
                .hasMessageNotContaining("not-the-s3cret");
    }

    @Test
    void aTokenEndpointThatIsDownIsAnOutageNotAStartUpErrorAndCallsFailFast() {
        sim.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        try (var created = DatabricksKind.KIND.create(config(CLIENT_SECRET), null)) {
            SourceException failed = catchThrowableOfType(SourceException.class, () -> created.fetch(query()));

            assertThat(failed.retryable()).isTrue();
            assertThat(failed.getMessage()).contains("answered HTTP 500");
        }
    }

    @Test
    void aSlowTokenEndpointCostsACallItsDeadlineNotMore() {
        sim.holdTokenRequests();
        try {
            SourceException late = catchThrowableOfType(SourceException.class, () -> source.fetch(
                    new CandidateQuery(new RecommendationRequest("u1", "home", 10, Set.of(), null, null, null), 10,
                                       Deadline.after(Duration.ofMillis(200)))));

            assertThat(late.status()).isEqualTo(SourceStatus.TIMEOUT);
            assertThat(late.getMessage()).contains("no OAuth token");
        } finally {
            sim.answerTokenRequests();
        }
    }

    @Test
    void braidSignsInAsTheServicePrincipalAndNeverShowsItsSecret(EmbeddedOpenSearch openSearch) throws Exception {
        DemoCatalogLoader.load(openSearch.uri(), "catalog-databricks-oauth", DemoCatalog.generate(500, 3));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("opensearch.url", openSearch.uri().toString());
        settings.put("catalog.index", "catalog-databricks-oauth");
        settings.put("catalog.timeout", "500ms");
        settings.put("surfaces.home.budget", "3s");
        settings.put("sources.trending.url", "http://127.0.0.1:1/unused");
        settings.put("surfaces.home.sources.trending.required", "false");
        settings.put("sources.databricks.kind", "databricks");
        settings.put("sources.databricks.workspace", sim.baseUri().toString());
        settings.put("sources.databricks.endpoint", ENDPOINT);
        settings.put("sources.databricks.client-id", CLIENT_ID);
        settings.put("sources.databricks.client-secret", CLIENT_SECRET);
        settings.put("sources.databricks.timeout", "2s");
        settings.put("surfaces.home.sources.databricks.weight", "1.0");
        Braid braid = Main.start(TestConfigs.local(settings));
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + braid.apiPort() + "/v1/recommendations?user=u1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> shown = client.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + braid.adminPort() + "/admin/config"))
                    .header("Authorization", "Bearer test-admin-token").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(answer.body()).at("/sources/databricks/status").asText()).isEqualTo("ok");
            // The first token was fetched at start-up; the request used it.
            assertThat(sim.tokenRequests()).isEqualTo(1);
            JsonNode databricks = JSON.readTree(shown.body()).at("/sources/databricks");
            assertThat(databricks.get("client-id").asText()).isEqualTo(CLIENT_ID);
            assertThat(databricks.get("client-secret").asText()).isEqualTo("***");
            assertThat(shown.body()).doesNotContain(CLIENT_SECRET);
        } finally {
            braid.stop();
        }
    }

    private String lastBearer() {
        return sim.recentRequests().reversed().stream().filter(r -> r.path().endsWith("/invocations")).findFirst()
                .orElseThrow().header("Authorization");
    }

    private DatabricksConfig config(String secret) {
        return new DatabricksConfig(ID, sim.baseUri(), ENDPOINT, new DatabricksConfig.ServicePrincipal(CLIENT_ID, secret),
                                    null, new HttpClientConfig(Duration.ofMillis(500), Duration.ofSeconds(5), 8,
                                                               Duration.ofMillis(500)));
    }

    private static CandidateQuery query() {
        return new CandidateQuery(new RecommendationRequest("u1", "home", 10, Set.of(), null, null, null), 10,
                                  Deadline.after(Duration.ofSeconds(10)));
    }
}

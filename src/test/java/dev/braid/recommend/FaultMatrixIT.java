package dev.braid.recommend;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.sim.DatabricksSimulator;
import dev.braid.sim.HttpSimulator;
import dev.braid.sim.PersonalizeSimulator;
import dev.braid.sim.RecordedRequest;
import dev.braid.sim.TrendingSimulator;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.FaultMode;
import dev.braid.testing.OpenSearchExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every guarded downstream × every fault mode, through the whole service: the real SDK and HTTP clients against the
 * wire-level simulators, faults injected for real. Each test starts its own instance, so breakers and hold-offs of one
 * test never leak into the next.
 */
@ExtendWith(OpenSearchExtension.class)
class FaultMatrixIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration BUDGET = Duration.ofMillis(150);
    /** Generous: the machine is shared with OpenSearch and the build. The point is "bounded", not "fast". */
    private static final Duration SLACK = Duration.ofMillis(400);
    private static final String TOKEN = "dapi-fault-matrix";

    private static String openSearchUrl;
    private static final String CAMPAIGN = "arn:aws:personalize:us-east-1:123456789012:campaign/home";
    private static final String RANKING = "arn:aws:personalize:us-east-1:123456789012:campaign/rerank";

    private static TrendingSimulator trending;
    private static DatabricksSimulator databricks;
    private static PersonalizeSimulator personalize;
    private Braid braid;

    @BeforeAll
    static void start(EmbeddedOpenSearch openSearch) throws Exception {
        DemoCatalogLoader.load(openSearch.uri(), "catalog-faults", DemoCatalog.generate(1_000, 13));
        openSearchUrl = openSearch.uri().toString();
        List<String> ids = DemoCatalog.itemIds(1_000);
        trending = new TrendingSimulator(ids, Duration.ofMillis(2)).start(0);
        databricks = new DatabricksSimulator(ids, Duration.ofMillis(2), TOKEN, Set.of("braid-recs"), "9").start(0);
        personalize = new PersonalizeSimulator(ids, Duration.ofMillis(2)).start(0);
        // The real SDK finds its credentials through the standard provider chain, as in production.
        System.setProperty("aws.accessKeyId", "AKIAFAULTMATRIX");
        System.setProperty("aws.secretAccessKey", "fault-matrix-secret");
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    @AfterAll
    static void stopSimulators() {
        trending.close();
        databricks.close();
        personalize.close();
    }

    @AfterEach
    void stop() {
        if (braid != null) {
            braid.stop();
        }
        trending.reset();
        databricks.reset();
        personalize.reset();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "trending, hang, timeout", "trending, slow, timeout", "trending, error, error",
            "trending, throttle, rate_limited", "trending, malformed, error", "trending, down, error",
            "databricks, hang, timeout", "databricks, slow, timeout", "databricks, error, error",
            "databricks, throttle, rate_limited", "databricks, malformed, error", "databricks, down, error",
            "personalize, hang, timeout", "personalize, slow, timeout", "personalize, error, error",
            "personalize, throttle, rate_limited", "personalize, malformed, error", "personalize, down, error"})
    void aFailingSourceCostsOnlyItsOwnShareOfTheAnswer(String failing, String mode, String status) throws Exception {
        braid = start(Map.of());
        HttpSimulator sick = simulator(failing);
        List<String> healthy = java.util.stream.Stream.of("trending", "personalize", "databricks")
                .filter(name -> !name.equals(failing)).toList();
        sick.mode(FaultMode.parse(mode), Duration.ofSeconds(2), Duration.ZERO);

        long started = System.nanoTime();
        HttpResponse<String> response = get("/v1/recommendations?user=u1&n=10");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(took).isLessThan(BUDGET.plus(SLACK));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/sources/" + failing + "/status").asText()).isEqualTo(status);
        healthy.forEach(name -> assertThat(body.at("/sources/" + name + "/status").asText()).as(name).isEqualTo("ok"));
        assertThat(body.get("partial").asBoolean()).isTrue();
        assertThat(body.get("degraded").isNull()).as("the healthy sources still answered").isTrue();
        assertThat(body.get("sources_used")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(healthy);
        assertThat(body.get("items")).hasSize(10)
                .allSatisfy(item -> assertThat(item.get("sources")).extracting(JsonNode::asText)
                        .isSubsetOf(healthy).doesNotContain(failing));
    }

    @Test
    void theHealthyAnswerBlendsEverySourceAndReportsTheirModels() throws Exception {
        braid = start(Map.of());
        JsonNode body = JSON.readTree(get("/v1/recommendations?user=u9&n=10").body());
        assertThat(body.get("sources_used")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("trending", "personalize", "databricks");
        assertThat(body.get("partial").asBoolean()).isFalse();
        assertThat(body.at("/model_versions/databricks").asText()).isEqualTo("9");
        assertThat(body.at("/model_versions/personalize").asText()).isEqualTo(CAMPAIGN);
        assertThat(personalize.lastRequest().header("Authorization")).startsWith("AWS4-HMAC-SHA256");
        assertThat(body.get("reranked_by").isNull()).isTrue();
    }

    @Test
    void aPlansRerankReordersTheBlendedListAndItsFailureKeepsTheBlendedOrder() throws Exception {
        // Time enough for the re-ranker's first failure on a cold JVM (the SDK loads its error path then): what is tested
        // is how a failure is reported and what it leaves of the list, not how fast a cold SDK is.
        braid = start(Map.of("sources.personalize.ranking-campaign-arn", RANKING, "surfaces.home.rerank", "personalize",
                             "surfaces.home.budget", "3s", "sources.personalize.timeout", "2s"));
        JsonNode reranked = JSON.readTree(get("/v1/recommendations?user=u10&n=10").body());
        assertThat(reranked.at("/reranked_by/source").asText()).isEqualTo("personalize");
        assertThat(reranked.at("/reranked_by/status").asText()).isEqualTo("ok");
        assertThat(personalize.recentRequests()).extracting(RecordedRequest::path).contains("/personalize-ranking");

        JsonNode anonymous = JSON.readTree(get("/v1/recommendations?n=10").body());
        assertThat(anonymous.get("reranked_by").isNull()).as("never for anonymous visitors").isTrue();

        personalize.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        JsonNode failed = JSON.readTree(get("/v1/recommendations?user=u10&n=10").body());
        assertThat(failed.at("/reranked_by/status").asText()).isEqualTo("error");
        assertThat(failed.get("items")).hasSize(10);
    }

    @Test
    void aTransientFailureIsRetriedButA4xxIsNot() throws Exception {
        braid = start(Map.of());
        trending.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        get("/v1/recommendations?user=u2");
        assertThat(trending.requests()).as("a 500 is retried once (retry.attempts 2)").isEqualTo(2);

        braid.stop();
        braid = start(Map.of("sources.databricks.token", "a-wrong-token"));
        databricks.reset();
        JsonNode body = JSON.readTree(get("/v1/recommendations?user=u2").body());
        assertThat(body.at("/sources/databricks/status").asText()).isEqualTo("error");
        assertThat(databricks.requests()).as("a 401 is never retried").isEqualTo(1);
    }

    @Test
    void retryAfterHoldsTheSourceOffAcrossRequestsUntilItHasPassed() throws Exception {
        braid = start(Map.of());
        trending.mode(FaultMode.THROTTLE, Duration.ZERO, Duration.ofSeconds(1));
        long throttledAt = System.nanoTime();
        JsonNode first = JSON.readTree(get("/v1/recommendations?user=u3").body());
        assertThat(first.at("/sources/trending/status").asText()).isEqualTo("rate_limited");
        assertThat(trending.requests()).as("a 1s Retry-After does not fit a 150ms budget: no retry").isEqualTo(1);

        trending.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        JsonNode held = JSON.readTree(get("/v1/recommendations?user=u3").body());
        assertThat(held.at("/sources/trending/status").asText()).isEqualTo("rate_limited");
        assertThat(trending.requests()).as("held off: not even asked").isEqualTo(1);

        awaitTrue(Duration.ofSeconds(5), () -> status("/v1/recommendations?user=u3", "trending").equals("ok"));
        assertThat(Duration.ofNanos(System.nanoTime() - throttledAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theBreakerOpensStopsCallingAndAProbeClosesItAfterRecovery() throws Exception {
        // A window of 4 that opens only when all 4 failed: the warm-up's successes are in it, so exactly 4 errors open it.
        braid = start(Map.of("sources.databricks.breaker.volume", "4", "sources.databricks.breaker.failure-ratio", "100",
                             "sources.databricks.breaker.open-for", "2s",
                             "sources.databricks.breaker.probes", "1", "sources.databricks.retry.attempts", "1"));
        databricks.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        for (int i = 0; i < 4; i++) {
            assertThat(status("/v1/recommendations?user=u4", "databricks")).isEqualTo("error");
        }
        assertThat(breakers().get("databricks").asText()).isEqualTo("open");
        long callsWhenOpened = databricks.requests();
        for (int i = 0; i < 5; i++) {
            assertThat(status("/v1/recommendations?user=u4", "databricks")).isEqualTo("circuit_open");
        }
        assertThat(databricks.requests()).as("an open breaker answers without calling").isEqualTo(callsWhenOpened);
        assertThat(metric("braid_source_breaker_state", "source=\"databricks\",state=\"open\"")).isEqualTo(1.0);
        assertThat(metric("braid_source_breaker_state", "source=\"databricks\",state=\"closed\"")).isEqualTo(0.0);

        databricks.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        awaitTrue(Duration.ofSeconds(10), () -> status("/v1/recommendations?user=u4", "databricks").equals("ok"));
        assertThat(breakers().get("databricks").asText()).isEqualTo("closed");
        assertThat(breakers().get("trending").asText()).isEqualTo("closed");
    }

    @Test
    void aFullBulkheadAnswersRejected() throws Exception {
        braid = start(Map.of("sources.databricks.bulkhead.max-concurrent", "1", "sources.databricks.bulkhead.queue", "0"));
        databricks.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
        CompletableFuture<HttpResponse<String>> holder = CompletableFuture.supplyAsync(() -> {
            try {
                return get("/v1/recommendations?user=u5");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitTrue(Duration.ofSeconds(5), () -> databricks.requests() == 1);
        assertThat(status("/v1/recommendations?user=u6", "databricks")).isEqualTo("rejected");
        assertThat(JSON.readTree(holder.get().body()).at("/sources/databricks/status").asText()).isEqualTo("timeout");
    }

    @Test
    void hungCallsLeaveNoThreadAndNoConnectionBehind() throws Exception {
        braid = start(Map.of("sources.trending.max-connections", "4", "sources.databricks.max-connections", "4",
                             "sources.trending.breaker.volume", "1000", "sources.databricks.breaker.volume", "1000",
                             "sources.personalize.breaker.volume", "1000"));
        trending.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
        databricks.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
        List<CompletableFuture<HttpResponse<String>>> requests = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int user = i;
            requests.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return get("/v1/recommendations?user=h" + user);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<HttpResponse<String>> request : requests) {
            JsonNode body = JSON.readTree(request.get().body());
            assertThat(body.at("/sources/trending/status").asText()).isIn("timeout", "rejected");
            assertThat(body.at("/sources/databricks/status").asText()).isIn("timeout", "rejected");
        }
        // Structured concurrency: every cancelled call has returned before its request was answered.
        assertThat(threadsInside("CandidateSource.fetch")).isZero();
        assertThat(((dev.braid.recommend.source.microservice.MicroserviceCandidateSource) braid.components().sources()
                .get(SourceId.of("trending")).unguarded()).http().poolStats().getLeased()).isZero();
        assertThat(((dev.braid.recommend.source.databricks.DatabricksCandidateSource) braid.components().sources()
                .get(SourceId.of("databricks")).unguarded()).http().poolStats().getLeased()).isZero();

        trending.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        databricks.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        JsonNode after = JSON.readTree(get("/v1/recommendations?user=h0").body());
        assertThat(after.get("sources_used")).as(after.get("sources").toString()).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("trending", "personalize", "databricks");
    }

    @Test
    void anonymousRequestsNeverReachPerUserModels() throws Exception {
        braid = start(Map.of());
        JsonNode body = JSON.readTree(get("/v1/recommendations?n=5").body());
        assertThat(body.at("/sources/databricks/status").asText()).isEqualTo("skipped");
        assertThat(databricks.requests()).isZero();
        assertThat(body.get("partial").asBoolean()).isFalse();
    }

    private Braid start(Map<String, String> extra) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("opensearch.url", openSearchUrl);
        overrides.put("catalog.index", "catalog-faults");
        overrides.put("catalog.timeout", "200ms");
        overrides.put("recommendations.reserve", "20ms");
        // Every request must reach the sources: what a fault does to the fan-out is the subject, not the cache.
        overrides.put("cache.enabled", "false");
        overrides.put("sources.trending.url", trending.endpoint());
        overrides.put("sources.databricks.kind", "databricks");
        overrides.put("sources.databricks.workspace", databricks.baseUri().toString());
        overrides.put("sources.databricks.endpoint", "braid-recs");
        overrides.put("sources.databricks.token", TOKEN);
        overrides.put("surfaces.home.sources.databricks.weight", "1.0");
        overrides.put("sources.personalize.kind", "personalize");
        overrides.put("sources.personalize.endpoint", personalize.baseUri().toString());
        overrides.put("sources.personalize.region", "us-east-1");
        overrides.put("sources.personalize.arns.home", CAMPAIGN);
        overrides.put("surfaces.home.sources.personalize.weight", "1.0");
        // Warm, as in production: the per-user sources' first calls (the AWS SDK's above all) are slow.
        overrides.put("server.warmup-requests", "4");
        overrides.putAll(extra);
        Braid started = Main.start(TestConfigs.local(overrides));
        trending.reset();
        databricks.reset();
        personalize.reset();
        return started;
    }

    private HttpSimulator simulator(String name) {
        return switch (name) {
            case "trending" -> trending;
            case "personalize" -> personalize;
            default -> databricks;
        };
    }

    private String status(String path, String source) {
        try {
            return JSON.readTree(get(path).body()).at("/sources/" + source + "/status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode breakers() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.adminPort() + "/admin/breakers"))
                .header("Authorization", "Bearer test-admin-token").build();
        return JSON.readTree(CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body()).get("breakers");
    }

    private double metric(String name, String label) throws Exception {
        String metrics = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.adminPort()
                                                                        + "/observe/metrics")).build(),
                                     HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith(name + "{") && line.contains(label))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(Double.NaN);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.apiPort() + path))
                                   .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Live threads, virtual ones included, whose stack passes through {@code frame}. */
    private static long threadsInside(String frame) throws IOException {
        Path dump = Files.createTempFile("threads", ".json");
        Files.delete(dump);
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        JsonNode threads = JSON.readTree(dump.toFile());
        Files.delete(dump);
        String method = frame.substring(frame.lastIndexOf('.') + 1);
        String type = frame.substring(0, frame.lastIndexOf('.'));
        long inside = 0;
        for (JsonNode container : threads.at("/threadDump/threadContainers")) {
            for (JsonNode thread : container.get("threads")) {
                for (JsonNode line : thread.get("stack")) {
                    if (line.asText().contains(type) && line.asText().contains("." + method + "(")) {
                        inside++;
                        break;
                    }
                }
            }
        }
        return inside;
    }

    private static void awaitTrue(Duration atMost, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within " + atMost).isLessThan(until);
            Thread.sleep(50);
        }
    }
}

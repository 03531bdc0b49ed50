package dev.braid.recommend;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.recommend.source.microservice.MicroserviceCandidateSource;
import dev.braid.sim.RecordedRequest;
import dev.braid.sim.TrendingSimulator;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.FaultMode;
import dev.braid.testing.OpenSearchExtension;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /v1/recommendations on a real instance whose trending source is the wire-level simulator and whose catalog is a
 * real OpenSearch node: the envelope, every fault mode injected for real, the deadline, and what cancellation leaves
 * behind.
 */
@ExtendWith(OpenSearchExtension.class)
class RecommendationsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Generous: the machine is shared with OpenSearch and the build. The point is "bounded", not "fast". */
    private static final Duration SLACK = Duration.ofMillis(400);
    private static final Duration BUDGET = Duration.ofMillis(150);

    private static TrendingSimulator trending;
    private static Braid braid;

    @BeforeAll
    static void start(EmbeddedOpenSearch openSearch) throws Exception {
        DemoCatalogLoader.load(openSearch.uri(), "catalog-recs", DemoCatalog.generate(1_000, 11));

        trending = new TrendingSimulator(DemoCatalog.itemIds(1_000), Duration.ofMillis(5)).start(0);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("sources.trending.url", trending.endpoint());
        overrides.put("sources.trending.max-connections", "2");
        // These tests fail the source on purpose, one after another: the breaker is FaultMatrixIT's subject, not theirs.
        overrides.put("sources.trending.breaker.volume", "1000");
        // A per-user model: the same service, asked only for signed-in users.
        overrides.put("sources.for-you.kind", "microservice");
        overrides.put("sources.for-you.url", trending.endpoint());
        overrides.put("sources.for-you.breaker.volume", "1000");
        overrides.put("surfaces.home.sources.for-you.logged-in-only", "true");
        overrides.put("surfaces.home.sources.for-you.required", "false");
        overrides.put("opensearch.url", openSearch.uri().toString());
        overrides.put("catalog.index", "catalog-recs");
        overrides.put("catalog.timeout", "200ms");
        overrides.put("recommendations.reserve", "10ms");
        braid = Main.start(TestConfigs.local(overrides));
    }

    @AfterAll
    static void stop() {
        braid.stop();
        trending.close();
    }

    @AfterEach
    void heal() {
        trending.reset();
    }

    @Test
    void aHealthyAnswerCarriesTheFullEnvelope() throws Exception {
        HttpResponse<String> response = get("/v1/recommendations?user=u1&n=5", Map.of("X-Country", "de",
                                                                                      "Accept-Language", "de-DE,en;q=0.8"));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("partial").asBoolean()).isFalse();
        assertThat(body.get("degraded").isNull()).isTrue();
        assertThat(body.get("sources_used")).extracting(JsonNode::asText).containsExactly("trending", "for-you");
        assertThat(body.get("failed_sources")).isEmpty();
        assertThat(body.at("/sources/trending/status").asText()).isEqualTo("ok");
        assertThat(body.at("/sources/trending/count").asInt()).isEqualTo(100);
        assertThat(body.at("/sources/trending/latency_ms").asLong()).isGreaterThanOrEqualTo(5);
        assertThat(body.at("/model_versions/trending").asText()).isEqualTo(TrendingSimulator.MODEL_VERSION);
        assertThat(body.get("items")).hasSize(5);
        JsonNode first = body.get("items").get(0);
        assertThat(first.get("sources")).extracting(JsonNode::asText).containsExactly("trending", "for-you");
        assertThat(first.get("title").asText()).isNotBlank();
        assertThat(first.get("category").asText()).isIn(DemoCatalog.generate(1_000, 11).stream()
                                                                .map(DemoCatalog.Item::category).toList());
        // The id is sealed: it carries the arm the envelope names (config/experiments.yaml runs one on home) unreadably.
        assertThat(body.get("recommendation_id").asText()).matches("[A-Za-z0-9_-]{20,}")
                .doesNotContain(body.at("/experiment/id").asText("no experiment"));

        RecordedRequest sent = trending.lastRequest();
        assertThat(sent.query()).contains("surface=home", "limit=100", "user=u1", "country=DE", "language=de");
    }

    @Test
    void theCallersRequestIdAndTraceReachTheDownstream() throws Exception {
        get("/v1/recommendations?user=u2", Map.of("X-Request-Id", "trace-me-1",
                                                  "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        RecordedRequest sent = trending.lastRequest();
        assertThat(sent.header("X-Request-Id")).isEqualTo("trace-me-1");
        // Tracing is off here: Braid makes no span, so the downstream's spans hang under the caller's span itself.
        assertThat(sent.header("traceparent")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    @Test
    void anonymousRequestsNeverReachPerUserSources() throws Exception {
        long before = trending.requests();
        JsonNode body = JSON.readTree(get("/v1/recommendations", Map.of()).body());
        assertThat(body.at("/sources/for-you/status").asText()).isEqualTo("skipped");
        assertThat(body.get("partial").asBoolean()).isFalse();
        assertThat(body.get("failed_sources")).isEmpty();
        assertThat(trending.requests() - before).isEqualTo(1);
        assertThat(trending.lastRequest().query()).doesNotContain("user=");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"hang,timeout", "slow,timeout", "error,error", "throttle,rate_limited", "malformed,error", "down,error"})
    void everyFaultGivesAPartialFallbackWithinTheBudget(String mode, String status) throws Exception {
        get("/v1/recommendations", Map.of());  // a healthy answer to remember as the fallback
        // Retry-After 0: a longer one is honoured across requests (FaultMatrixIT proves it) and would hold off the next tests.
        trending.mode(FaultMode.parse(mode), Duration.ofMillis(500), Duration.ZERO);

        long started = System.nanoTime();
        HttpResponse<String> response = get("/v1/recommendations?user=u3&n=4", Map.of());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(took).isLessThan(BUDGET.plus(SLACK));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("partial").asBoolean()).isTrue();
        assertThat(body.get("degraded").asText()).isEqualTo("default_ranking");
        assertThat(body.at("/sources/trending/status").asText()).isEqualTo(status);
        assertThat(body.get("failed_sources")).extracting(f -> f.get("source").asText()).contains("trending");
        assertThat(body.get("items")).hasSize(4);
        JsonNode first = body.get("items").get(0);
        // Explained by the item's own category, as a person would read it ("popular in Running shoes"); when the hung
        // source left hydration no time, the item has no category and the reason does not invent one.
        String category = first.path("category").asText(null);
        assertThat(first.get("reasons")).extracting(JsonNode::asText)
                .containsExactly(category == null ? "popular right now"
                                 : "popular in " + category.substring(0, 1).toUpperCase() + category.substring(1)
                                                                                                     .replace('-', ' '));
    }

    @Test
    void theCallersShorterTimeoutWins() throws Exception {
        trending.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
        long started = System.nanoTime();
        HttpResponse<String> response = get("/v1/recommendations?user=u4", Map.of("X-Request-Timeout", "60"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(took).isLessThan(Duration.ofMillis(60).plus(SLACK)).isLessThan(BUDGET.plus(SLACK));
        assertThat(JSON.readTree(response.body()).at("/sources/trending/latency_ms").asLong()).isLessThan(60);
    }

    @Test
    void cancelledCallsGiveTheirConnectionsBack() throws Exception {
        MicroserviceCandidateSource source =
                (MicroserviceCandidateSource) braid.components().sources().get(SourceId.of("trending")).unguarded();
        trending.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
        // The pool has two connections. Five hung calls in a row: each is cancelled at the deadline; were its
        // connection kept, the third call would find the pool empty and be rejected.
        for (int i = 0; i < 5; i++) {
            JsonNode body = JSON.readTree(get("/v1/recommendations?user=u5", Map.of()).body());
            assertThat(body.at("/sources/trending/status").asText()).isEqualTo("timeout");
        }
        assertThat(source.http().poolStats().getLeased()).isZero();

        trending.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        JsonNode after = JSON.readTree(get("/v1/recommendations?user=u5", Map.of()).body());
        assertThat(after.at("/sources/trending/status").asText()).isEqualTo("ok");
    }

    @Test
    void callsAreCountedPerSourceAndOutcome() throws Exception {
        double before = counter("braid_source_calls_total", "source=\"trending\"", "outcome=\"error\"");
        trending.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        get("/v1/recommendations?user=u6", Map.of());
        get("/v1/recommendations?user=u6", Map.of());
        assertThat(counter("braid_source_calls_total", "source=\"trending\"", "outcome=\"error\"")).isEqualTo(before + 2);
    }

    @Test
    void jfrEventsExplainWhereARequestSpentItsTime() throws Exception {
        Path file = Files.createTempFile("braid", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("braid.FanOut");
            recording.enable("braid.DownstreamCall");
            recording.start();
            get("/v1/recommendations?user=u7", Map.of("X-Request-Id", "jfr-1"));
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Files.delete(file);
        RecordedEvent fanOut = events.stream().filter(e -> e.getEventType().getName().equals("braid.FanOut")
                                                           && "jfr-1".equals(e.getString("requestId"))).findFirst().orElseThrow();
        assertThat(fanOut.getString("outcomes")).isEqualTo("trending=ok,for-you=ok");
        assertThat(fanOut.getDuration().toMillis()).isGreaterThanOrEqualTo(5);
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("braid.DownstreamCall")
                                           && "jfr-1".equals(e.getString("requestId")))
                .extracting(e -> e.getString("source")).containsExactlyInAnyOrder("trending", "for-you");
    }

    private static double counter(String name, String... labels) throws Exception {
        String metrics = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.adminPort()
                                                                        + "/observe/metrics")).build(),
                                     HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines()
                .filter(line -> line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.apiPort() + path))
                .timeout(Duration.ofSeconds(5));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

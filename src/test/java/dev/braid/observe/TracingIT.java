package dev.braid.observe;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.sim.HttpSimulator;
import dev.braid.sim.PersonalizeSimulator;
import dev.braid.sim.RecordedRequest;
import dev.braid.sim.TrendingSimulator;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.OpenSearchExtension;
import dev.braid.testing.OtlpReceiver;
import dev.braid.testing.OtlpReceiver.ReceivedSpan;
import dev.braid.testing.RedisExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traces on the wire: an instance exporting OTLP to a receiver that decodes the protobuf itself, downstreams that record
 * the headers they got. The parent id each downstream received is a span Braid exported, in the caller's trace, and the
 * spans of one request form one tree under the server span: fan-out, sources, attempts (retries), hedges, the HTTP and
 * AWS calls, Redis and OpenSearch.
 */
@ExtendWith({RedisExtension.class, OpenSearchExtension.class})
class TracingIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String CAMPAIGN = "arn:aws:personalize:us-east-1:123456789012:campaign/home";
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final Map<String, String> AWS = Map.of("aws.accessKeyId", "AKIDTRACING", "aws.secretAccessKey",
                                                          "tracing-secret", "aws.disableEc2Metadata", "true");
    private static final Map<String, String> previous = new HashMap<>();

    private static OtlpReceiver receiver;
    private static TrendingSimulator trending;
    private static PersonalizeSimulator personalize;
    private static Braid braid;

    @BeforeAll
    static void start(EmbeddedRedis redis, EmbeddedOpenSearch openSearch) throws Exception {
        AWS.forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
        DemoCatalogLoader.load(openSearch.uri(), "catalog-traces", DemoCatalog.generate(1_000, 11));
        try (RedisClient client = RedisClient.create(URI.create(redis.uri()))) {
            for (String user : List.of("t1", "t2", "t3", "t4", "t5")) {
                client.del("history:{" + user + "}");
                client.rpush("history:{" + user + "}", "{\"item_id\":\"i1\",\"type\":\"click\"}",
                             "{\"item_id\":\"i2\",\"type\":\"click\"}");
            }
        }
        receiver = new OtlpReceiver();
        List<String> ids = DemoCatalog.itemIds(1_000);
        trending = new TrendingSimulator(ids, Duration.ofMillis(2)).start(0);
        personalize = new PersonalizeSimulator(ids, Duration.ofMillis(2)).start(0);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("tracing.exporter", "otlp");
        overrides.put("tracing.endpoint", receiver.endpoint());
        overrides.put("tracing.sample-ratio", "1.0");
        overrides.put("redis.url", redis.uri());
        overrides.put("redis.timeout", "500ms");
        overrides.put("opensearch.url", openSearch.uri().toString());
        overrides.put("catalog.index", "catalog-traces");
        overrides.put("catalog.timeout", "500ms");
        // Every request reaches the sources: their spans are the subject.
        overrides.put("cache.enabled", "false");
        overrides.put("surfaces.home.budget", "2s");
        overrides.put("sources.trending.url", trending.endpoint());
        overrides.put("sources.trending.timeout", "1s");
        overrides.put("sources.trending.breaker.volume", "1000");
        overrides.put("sources.personalize.kind", "personalize");
        overrides.put("sources.personalize.endpoint", personalize.baseUri().toString());
        overrides.put("sources.personalize.region", "us-east-1");
        overrides.put("sources.personalize.arns.home", CAMPAIGN);
        overrides.put("sources.personalize.timeout", "1s");
        overrides.put("surfaces.home.sources.personalize.weight", "1.0");
        braid = Main.start(TestConfigs.local(overrides));
    }

    @AfterAll
    static void stop() {
        braid.stop();
        trending.close();
        personalize.close();
        receiver.close();
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }

    @AfterEach
    void heal() {
        trending.reset();
        personalize.reset();
    }

    @Test
    void everyDownstreamGetsAParentBraidExportedInTheCallersTrace() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";
        HttpResponse<String> answer = get("/v1/recommendations?user=t1&n=5", Map.of(
                "traceparent", "00-" + trace + "-" + callerSpan + "-01", "tracestate", "vendor=opaque-1"));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"personalize\":{\"status\":\"ok\"", "\"trending\":{\"status\":\"ok\"");

        ReceivedSpan server = awaitSpan(trace, span -> span.kind() == 2);
        assertThat(server.name()).isEqualTo("GET /v1/recommendations");
        assertThat(server.parentSpanId()).isEqualTo(callerSpan);
        assertThat(server.attributes()).containsEntry("http.route", "/v1/recommendations")
                .containsEntry("http.response.status_code", "200").containsEntry("braid.outcome", "complete");

        for (HttpSimulator downstream : List.of(trending, personalize)) {
            RecordedRequest sent = downstream.lastRequest();
            Matcher parent = TRACEPARENT.matcher(sent.header("traceparent"));
            assertThat(parent.matches()).as(downstream.name() + " got " + sent.header("traceparent")).isTrue();
            assertThat(parent.group(1)).isEqualTo(trace);
            assertThat(parent.group(3)).isEqualTo("01");
            assertThat(sent.header("tracestate")).isEqualTo("vendor=opaque-1");
            ReceivedSpan call = awaitSpan(trace, span -> span.spanId().equals(parent.group(2)));
            assertThat(call.kind()).as("the span named as the parent is a client span").isEqualTo(3);
            assertThat(ancestors(call)).as(downstream.name() + "'s chain to the server span").last().isEqualTo(server);
        }
        ReceivedSpan aws = spanWithParent(personalize.lastRequest());
        assertThat(aws.name()).isEqualTo("PersonalizeRuntime/GetRecommendations");
        assertThat(aws.attributes()).containsEntry("rpc.system.name", "aws-api");
        assertThat(ancestors(spanWithParent(trending.lastRequest()))).extracting(ReceivedSpan::name)
                .startsWith("GET", "trending attempt", "source trending", "fanout");

        List<ReceivedSpan> spans = awaitTrace(trace, all -> all.stream().anyMatch(span -> "opensearch".equals(
                span.attributes().get("db.system.name"))));
        assertThat(spans).anySatisfy(span -> assertThat(span.attributes()).containsEntry("db.system.name", "redis"))
                .anySatisfy(span -> assertThat(span.name()).isEqualTo("mget catalog-traces"))
                .anySatisfy(span -> assertThat(span.name()).isEqualTo("catalog lookup"))
                .anySatisfy(span -> assertThat(span.name()).isEqualTo("blend"))
                .allSatisfy(span -> assertThat(ancestors(span)).last().isEqualTo(server));
        assertThat(receiver.resources()).anySatisfy(resource -> assertThat(resource)
                .containsEntry("service.name", "braid").containsKey("service.version"));
    }

    @Test
    void aRetryIsASecondAttemptSpanUnderTheSameSourceSpan() throws Exception {
        trending.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        String trace = "5bf92f3577b34da6a3ce929d0e0e4736";
        get("/v1/recommendations?user=t2&n=5", Map.of("traceparent", "00-" + trace + "-00f067aa0ba902b7-01"));

        List<ReceivedSpan> attempts = awaitTrace(trace, spans -> spans.stream()
                .filter(span -> span.name().equals("trending attempt")).count() == 2).stream()
                .filter(span -> span.name().equals("trending attempt")).toList();
        assertThat(attempts).extracting(span -> span.attributes().get("braid.attempt")).containsExactlyInAnyOrder("1", "2");
        assertThat(attempts).extracting(ReceivedSpan::parentSpanId).containsOnly(attempts.getFirst().parentSpanId());
        assertThat(attempts).allSatisfy(span -> assertThat(span.statusCode()).as("failed: status ERROR").isEqualTo(2));
        assertThat(trending.recentRequests()).extracting(request -> request.header("traceparent").substring(36, 52))
                .as("each attempt's request names its own HTTP span").doesNotHaveDuplicates();
    }

    @Test
    void anUnsampledCallerGetsNoSpansAndItsTraceGoesOn() throws Exception {
        String trace = "6bf92f3577b34da6a3ce929d0e0e4736";
        get("/v1/recommendations?user=t3&n=5", Map.of("traceparent", "00-" + trace + "-00f067aa0ba902b7-00"));
        String sampled = "7bf92f3577b34da6a3ce929d0e0e4736";
        get("/v1/recommendations?user=t3&n=5", Map.of("traceparent", "00-" + sampled + "-00f067aa0ba902b7-01"));

        awaitSpan(sampled, span -> span.kind() == 2);
        assertThat(receiver.trace(trace)).as("the caller decided not to sample").isEmpty();
        assertThat(trending.recentRequests()).anySatisfy(request -> assertThat(request.header("traceparent"))
                .startsWith("00-" + trace + "-").endsWith("-00"));
    }

    @Test
    void aRequestWithoutTraceStartsOneAndSaysSoInItsLogs() throws Exception {
        HttpResponse<String> answer = get("/v1/recommendations?user=t4&n=3", Map.of("X-Request-Id", "traced-req-4"));
        assertThat(answer.statusCode()).isEqualTo(200);
        Matcher parent = TRACEPARENT.matcher(trending.lastRequest().header("traceparent"));
        assertThat(parent.matches()).isTrue();
        ReceivedSpan server = awaitSpan(parent.group(1), span -> span.kind() == 2);
        assertThat(server.isRoot()).isTrue();
        assertThat(server.attributes()).containsEntry("braid.request_id", "traced-req-4");
    }

    private static ReceivedSpan spanWithParent(RecordedRequest request) {
        Matcher parent = TRACEPARENT.matcher(request.header("traceparent"));
        assertThat(parent.matches()).isTrue();
        return awaitSpan(parent.group(1), span -> span.spanId().equals(parent.group(2)));
    }

    /** {@code span}, its parent, and so on up to the root of what was exported. */
    private static List<ReceivedSpan> ancestors(ReceivedSpan span) {
        Map<String, ReceivedSpan> byId = new HashMap<>();
        receiver.trace(span.traceId()).forEach(each -> byId.put(each.spanId(), each));
        List<ReceivedSpan> chain = new java.util.ArrayList<>();
        for (ReceivedSpan at = span; at != null; at = byId.get(at.parentSpanId())) {
            chain.add(at);
        }
        return chain;
    }

    private static ReceivedSpan awaitSpan(String trace, java.util.function.Predicate<ReceivedSpan> wanted) {
        List<ReceivedSpan> spans = awaitTrace(trace, all -> all.stream().anyMatch(wanted));
        return spans.stream().filter(wanted).findFirst().orElseThrow();
    }

    /** The spans of {@code trace} once {@code complete} holds for them: the exporter sends every second. */
    private static List<ReceivedSpan> awaitTrace(String trace, java.util.function.Predicate<List<ReceivedSpan>> complete) {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < end) {
            List<ReceivedSpan> spans = receiver.trace(trace);
            if (complete.test(spans)) {
                return spans;
            }
            pause();
        }
        throw new AssertionError("trace " + trace + " incomplete after 15 s: " + receiver.trace(trace));
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.apiPort() + path))
                .timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

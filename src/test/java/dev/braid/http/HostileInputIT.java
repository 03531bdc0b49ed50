package dev.braid.http;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.OpenSearchExtension;
import dev.braid.testing.RawHttp;
import dev.braid.testing.RedisExtension;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated hostile values for every parameter and header of every endpoint, sent on a plain socket: whatever arrives,
 * the answer is a 2xx, a 304 or a 4xx problem, quickly, and without the handler allocating without bound. Never a 5xx,
 * never a hang. Real OpenSearch (catalog, search, feed) and Redis (events) answer, so a 5xx could only be Braid's.
 */
class HostileInputIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Valid input may reach OpenSearch; even that answers within this on a loaded CI machine. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(3);
    /** Far above what any request here needs (a few hundred KiB), far below what canonicalising 1e-999999999 takes. */
    private static final long ALLOCATION_BOUND = 64L << 20;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static Braid braid;

    @BeforeContainer
    static void start() throws Exception {
        EmbeddedOpenSearch openSearch = OpenSearchExtension.shared();
        DemoCatalogLoader.load(openSearch.uri(), "catalog-hostile", DemoCatalog.generate(300, 5));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("opensearch.url", openSearch.uri().toString());
        overrides.put("catalog.index", "catalog-hostile");
        overrides.put("catalog.timeout", "1s");
        overrides.put("redis.url", RedisExtension.shared().uri());
        overrides.put("redis.timeout", "500ms");
        overrides.put("search.budget", "2s");
        overrides.put("search.guard.timeout", "1500ms");
        overrides.put("search.cursor-secret", "hostile-input-secret-0123456789");
        overrides.put("sources.trending.url", "http://127.0.0.1:" + closedPort + "/v1/trending");
        overrides.put("surfaces.home.fallback-items", "i1,i2,i3");
        braid = Main.start(TestConfigs.local(overrides));
    }

    @AfterContainer
    static void stop() {
        braid.stop();
    }

    record Endpoint(String path, List<String> parameters) {
    }

    private static final List<Endpoint> QUERIES = List.of(
            new Endpoint("/v1/recommendations", List.of("user", "surface", "n", "cursor", "exclude")),
            new Endpoint("/v1/search", List.of("q", "sort", "size", "cursor", "fields", "user", "filter.category",
                                               "filter.brand", "price_min", "price_max", "filter.price_min",
                                               "filter.colour")),
            new Endpoint("/v1/feed", List.of("user", "size", "cursor", "fields")));

    private static final List<String> HEADERS = List.of("X-Request-Timeout", "X-Country", "X-Anonymous-Id",
                                                        "Accept-Language", "If-None-Match", "X-Request-Id",
                                                        "X-Forwarded-For", "Accept-Encoding", "Content-Type",
                                                        "Idempotency-Key", "Authorization", "Cookie", "Range",
                                                        "Expect", "Forwarded", "traceparent");

    /** One generated query parameter, possibly repeated, written exactly or with its escapes left raw. */
    record Parameter(Endpoint endpoint, String name, List<String> values, boolean rawEscapes) {
        String target() {
            String query = values.stream().map(value -> name + "=" + (rawEscapes ? raw(value) : encode(value)))
                    .collect(Collectors.joining("&"));
            return endpoint.path() + "?" + query;
        }
    }

    @Property(tries = 400)
    void everyQueryParameterTakesAnyValue(@ForAll("parameters") Parameter parameter) {
        assertAnswered("GET " + parameter.target() + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    /** Every parameter of every endpoint with every value known to break parsers: all combinations, not a sample. */
    @Property(generation = GenerationMode.EXHAUSTIVE)
    void everyQueryParameterTakesEveryKnownHostileValue(@ForAll("everyParameter") Parameter parameter) {
        assertAnswered("GET " + parameter.target() + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    @Property(generation = GenerationMode.EXHAUSTIVE)
    void everyHeaderTakesEveryKnownHostileValue(@ForAll("headerNames") String header,
                                                @ForAll("knownHostileHeaderValues") String value) {
        assertAnswered("GET /v1/recommendations?user=u1 HTTP/1.1\r\nHost: localhost\r\n" + header + ": " + value
                       + "\r\nConnection: close\r\n\r\n");
    }

    @Property(tries = 300)
    void everyHeaderTakesAnyValue(@ForAll("headerNames") String header, @ForAll("headerValues") String value,
                                  @ForAll("targets") String target) {
        assertAnswered("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + header + ": " + value
                       + "\r\nConnection: close\r\n\r\n");
    }

    @Property(tries = 150)
    void anItemPathTakesAnyValue(@ForAll("values") String id, @ForAll boolean rawEscapes) {
        String segment = rawEscapes ? raw(id) : encode(id).replace("+", "%20");
        assertAnswered("GET /v1/items/" + segment + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    @Property(tries = 250)
    void theEventsBodyTakesAnyDocument(@ForAll("bodies") String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertAnswered("POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                       + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n"
                       + new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Property(tries = 150)
    void theEventsIdempotencyKeyTakesAnyValue(@ForAll("headerValues") String key) {
        byte[] bytes = ("{\"events\": [{\"user\": \"u1\", \"item_id\": \"i1\", \"type\": \"click\", \"ts\": \""
                        + java.time.Instant.now() + "\"}]}").getBytes(StandardCharsets.UTF_8);
        assertAnswered("POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                       + "Idempotency-Key: " + key + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n"
                       + new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Provide
    Arbitrary<Parameter> parameters() {
        Arbitrary<Endpoint> endpoints = Arbitraries.of(QUERIES);
        return endpoints.flatMap(endpoint -> Combinators.combine(
                Arbitraries.of(endpoint.parameters()),
                values().list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.of(false, true)).as((name, values, raw) -> new Parameter(endpoint, name, values, raw)));
    }

    @Provide
    Arbitrary<Parameter> everyParameter() {
        List<Parameter> all = new java.util.ArrayList<>();
        for (Endpoint endpoint : QUERIES) {
            for (String name : endpoint.parameters()) {
                for (String value : KNOWN_HOSTILE) {
                    all.add(new Parameter(endpoint, name, List.of(value), false));
                    if (value.contains("%")) {
                        all.add(new Parameter(endpoint, name, List.of(value), true));
                    }
                }
                all.add(new Parameter(endpoint, name, java.util.Collections.nCopies(150, "a"), false));
            }
        }
        return Arbitraries.of(all);
    }

    @Provide
    Arbitrary<String> knownHostileHeaderValues() {
        return Arbitraries.of(KNOWN_HOSTILE.stream()
                                      .filter(value -> value.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\t'))
                                      .filter(value -> value.length() < 4000 && !value.isBlank())
                                      .toList());
    }

    @Provide
    Arbitrary<String> targets() {
        return Arbitraries.of("/v1/recommendations", "/v1/recommendations?user=u1", "/v1/search?q=shoes", "/v1/feed",
                              "/v1/items/i1");
    }

    @Provide
    Arbitrary<String> headerNames() {
        return Arbitraries.of(HEADERS);
    }

    /** Header values as a client can send them: visible ASCII, spaces, tabs and obs-text; no line breaks. */
    @Provide
    Arbitrary<String> headerValues() {
        return Arbitraries.oneOf(
                values().map(value -> value.replaceAll("[\\r\\n\\x00-\\x08\\x0a-\\x1f\\x7f]", "").strip())
                        .map(value -> value.codePoints().allMatch(c -> c < 256) ? value : encode(value)),
                Arbitraries.strings().withCharRange(' ', '~').withChars('\t', '\u00e9', '\u00ff').ofMaxLength(2000),
                Arbitraries.of("9".repeat(400), "1e999999999", "-1", "0", "2147483648", "\uff11\uff10",
                               "W/\"" + "x".repeat(200) + "\", *", "de;q=0.9," + "en;q=0.1,".repeat(500),
                               "1.1.1.1, ".repeat(200), "100-continue", "bytes=0-1,2-3"));
    }

    /** Values that break parsers: any text, numbers of every shape and size, escapes, separators, long lists. */
    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(600),
                Arbitraries.strings().withChars("%,.;=&?#/\\\"'<>-+eE \u0000\t").ofMaxLength(80),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.bigDecimals().map(java.math.BigDecimal::toString),
                Arbitraries.strings().alpha().numeric().ofMaxLength(12).list().ofMaxSize(600)
                        .map(items -> String.join(",", items)),
                Arbitraries.of(KNOWN_HOSTILE));
    }

    /** Values that broke, or would break, a parser: numbers too long, too small, too precise or not ASCII; bad escapes. */
    private static final List<String> KNOWN_HOSTILE = List.of(
            "1e999999999", "1e-999999999", "1E+2147483647", "1e-2147483648", "-1e-999999999", "-0", "+1", "NaN",
            "Infinity", "-Infinity", "0x1F", "\uff11\uff10", "\u0661\u0662", "\u0967", "0." + "0".repeat(1000) + "1",
            "9".repeat(3000), "0".repeat(40) + "5", "5" + "0".repeat(40), "2147483648", "-2147483649",
            "9223372036854775808", "1.7976931348623157E309", "4.9E-325", "0.1234567", "12345678901.5", " 5", "5 ",
            "%", "%zz", "%E0%A4%A", "%C0%AF", "%00", "%ED%A0%80", "%F4%90%80%80", "a%2Cb", "%25", "..",
            "../../etc/passwd", "\uD800", "\uFFFF", "\u202E", "\u0000", "a\u0007b", " ", "", ",", ",,,,,", "a,".repeat(600),
            "<script>alert(1)</script>", "' OR 1=1 --", "{\"$gt\": \"\"}", "*", "?", "\\", "x".repeat(600));

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(values().map(Object.class::cast),
                                                     Arbitraries.doubles().map(Object.class::cast),
                                                     Arbitraries.of(Boolean.TRUE, Boolean.FALSE));
        Arbitrary<Map<String, Object>> event = Arbitraries.maps(
                Arbitraries.of("user", "item_id", "type", "value", "ts", "recommendation_id", "extra"),
                scalar).ofMaxSize(7);
        Arbitrary<String> batches = event.list().ofMaxSize(30).map(events -> write(Map.of("events", events)));
        return Arbitraries.oneOf(
                batches,
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.integers().between(1, 3000).map(depth -> "[".repeat(depth) + "]".repeat(depth)),
                Arbitraries.integers().between(1, 3000).map(depth -> "{\"events\":" + "[".repeat(depth)),
                Arbitraries.of("{\"events\": [{\"user\": \"u1\", \"item_id\": \"i1\", \"type\": \"rating\", "
                               + "\"value\": 1e999999999}]}",
                               "{\"events\": [{\"value\": " + "9".repeat(2000) + "}]}",
                               "{\"events\": [], \"events\": []}", "{\"events\": [{}]} trailing", "null", "\"x\""));
    }

    private static void assertAnswered(String request) {
        long allocated = THREADS.getTotalThreadAllocatedBytes();
        RawHttp.Received received;
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            http.send(request);
            received = http.receive(ANSWER_WITHIN);
        }
        long used = THREADS.getTotalThreadAllocatedBytes() - allocated;
        assertThat(received.closed()).as("answered and closed within %s: %s", ANSWER_WITHIN, abbreviate(request))
                .isTrue();
        List<RawHttp.Response> responses = received.responses();
        assertThat(responses).as("one answer to %s", abbreviate(request)).hasSize(1);
        RawHttp.Response answer = responses.getFirst();
        assertThat(answer.status()).as("status for %s: %s", abbreviate(request), abbreviate(answer.body()))
                .isBetween(200, 499);
        if (answer.status() >= 400) {
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
            JsonNode problem = read(answer.body());
            assertThat(problem.get("status").asInt()).isEqualTo(answer.status());
            assertThat(problem.get("detail").asText()).isNotBlank();
        }
        assertThat(used).as("bytes allocated while answering %s", abbreviate(request)).isLessThan(ALLOCATION_BOUND);
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + abbreviate(body), e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Only what would break the request line is escaped: '%' sequences, valid or not, reach the server as written. */
    private static String raw(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean safe = c > 0x20 && c < 0x7f && c != '#' && c != '&';
            out.append(safe ? String.valueOf((char) c) : String.format("%%%02X", c));
        }
        return out.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 297) + "...";
    }
}

package dev.braid.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public API's edges on a real instance: validation, problem+json, request ids, conditional GETs, compression and
 * the separation of the admin port. The trending source points at a closed port, so every answer is a fallback.
 */
class PublicApiTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Braid braid;

    @BeforeAll
    static void start() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        braid = Main.start(TestConfigs.local(Map.of(
                "sources.trending.url", "http://svc-user:svc-pass@127.0.0.1:" + closedPort + "/v1/trending?token=t0k3n",
                "surfaces.home.fallback-items", "i5,i6,i7")));
    }

    @AfterAll
    static void stop() {
        braid.stop();
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
            "n=0|n|must be between 1 and 100 (was 0)",
            "n=101|n|must be between 1 and 100 (was 101)",
            "n=ten|n|must be a whole number between 1 and 100 (was 'ten')",
            "n=5&n=6|n|must be given once (was given 2 times)",
            "user=a%20b|user|must be 1..128 characters",
            "user=|user|must not be empty",
            "surface=checkout|surface|unknown surface 'checkout'; configured surfaces: home",
            "surface=HOME|surface|must be 1..40 characters of a-z",
            "exclude=i1,bad%20id|exclude|item ids are 1..128 characters",
            "cursor=eyJmb3JnZWQiOnRydWV9|cursor|malformed",
            "cursor=AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA|cursor|not issued by this service",
            "cursor=eyJmb3JnZWQiOnRydWV9.AAAAAAAAAAAAAAAAAAAAAA|cursor|from an older version of the service",
            "cursor=a%20b|cursor|is not a cursor this service issued"})
    void badQueryParametersAreProblemsNamingTheParameter(String query, String parameter, String reason) throws Exception {
        HttpResponse<String> response = get("/v1/recommendations?" + query, Map.of());
        assertProblem(response, 400, parameter, reason);
    }

    @ParameterizedTest(name = "{0}: {1} -> 400")
    @CsvSource(delimiter = '|', value = {
            "X-Request-Timeout|0|must be whole milliseconds between 1 and 60000 (was '0')",
            "X-Request-Timeout|soon|must be whole milliseconds between 1 and 60000 (was 'soon')",
            "X-Country|Germany|must be an ISO 3166-1 alpha-2 country code such as DE (was 'Germany')",
            "X-Anonymous-Id|visitor #7|must be 1..128 characters of letters, digits and . _ : @ - (was 'visitor #7')"})
    void badHeadersAreProblemsNamingTheHeader(String header, String value, String reason) throws Exception {
        assertProblem(get("/v1/recommendations", Map.of(header, value)), 400, header, reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "GET /v1/recommendations?user=%E0%A4%A HTTP/1.1",
            "GET /v1/recommendations?n=%zz HTTP/1.1",
            "GET /v1/recommendations HTTP/9.9",
            "GET /v1/recommendations HTTP/1.1\\r\\nX-Bad Name: v"})
    void malformedRequestsThatNoClientLibraryWouldSendAreStill400Problems(String head) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", braid.apiPort())) {
            socket.setSoTimeout(5000);
            String request = head.replace("\\r\\n", "\r\n") + "\r\nHost: localhost\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String response = readOneResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 400");
            assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
            assertThat(response).contains("\"status\":400").contains("\"detail\":");
        }
    }

    @Test
    void aMalformedAcceptLanguageIsIgnoredNotRejected() throws Exception {
        assertThat(get("/v1/recommendations", Map.of("Accept-Language", ";;;q=x")).statusCode()).isEqualTo(200);
    }

    @Test
    void whenTheOnlySourceFailsTheAnswerIsAPartialFallbackNotAnError() throws Exception {
        HttpResponse<String> response = get("/v1/recommendations?user=u1&n=2&exclude=i5", Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("partial").asBoolean()).isTrue();
        assertThat(body.get("degraded").asText()).isEqualTo("default_ranking");
        assertThat(body.get("failed_sources").get(0).get("source").asText()).isEqualTo("trending");
        assertThat(body.get("failed_sources").get(0).get("status").asText()).isEqualTo("error");
        assertThat(body.get("sources").get("trending").get("status").asText()).isEqualTo("error");
        assertThat(body.get("sources_used")).isEmpty();
        assertThat(body.get("items").findValuesAsText("item_id")).containsExactly("i6", "i7");
        assertThat(body.get("user").asText()).isEqualTo("u1");
        assertThat(body.get("cache").asText()).isEqualTo("miss");
        assertThat(body.has("next_cursor")).isTrue();
        assertThat(response.headers().firstValue("Cache-Control")).contains("private, no-cache");
    }

    @Test
    void anonymousAnswersMayBeSharedBrieflyWhenDegraded() throws Exception {
        HttpResponse<String> response = get("/v1/recommendations", Map.of());
        assertThat(response.headers().firstValue("Cache-Control")).contains("public, max-age=5");
        // config/experiments.yaml runs an experiment on home: an anonymous answer depends on the visitor's id too.
        assertThat(response.headers().firstValue("Vary"))
                .contains("Accept-Language, X-Country, Accept-Encoding, X-Anonymous-Id");
    }

    @Test
    void unknownRoutesAreProblemsToo() throws Exception {
        HttpResponse<String> response = get("/v2/nothing-here", Map.of());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("detail").asText()).isEqualTo("no endpoint GET /v2/nothing-here");
    }

    @Test
    void requestIdsAreEchoedOrGeneratedAndQuotedInProblems() throws Exception {
        HttpResponse<String> echoed = get("/v1/recommendations?n=0", Map.of("X-Request-Id", "abc-123"));
        assertThat(echoed.headers().firstValue("X-Request-Id")).contains("abc-123");
        assertThat(JSON.readTree(echoed.body()).get("request_id").asText()).isEqualTo("abc-123");

        HttpResponse<String> forged = get("/v1/recommendations", Map.of("X-Request-Id", "evil\tid"));
        assertThat(forged.headers().firstValue("X-Request-Id")).hasValueSatisfying(
                id -> assertThat(id).matches("[0-9a-f]{24}"));
    }

    @Test
    void anUnchangedAnswerIsA304() throws Exception {
        HttpResponse<String> first = get("/v1/recommendations?user=u9", Map.of());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("W/\"");

        HttpResponse<String> second = get("/v1/recommendations?user=u9", Map.of("If-None-Match", etag));
        assertThat(second.statusCode()).isEqualTo(304);
        assertThat(second.body()).isEmpty();
        assertThat(second.headers().firstValue("ETag")).contains(etag);

        HttpResponse<String> otherUser = get("/v1/recommendations?user=u8", Map.of("If-None-Match", etag));
        assertThat(otherUser.statusCode()).isEqualTo(200);
    }

    @Test
    void answersAreGzippedWhenTheClientAsks() throws Exception {
        HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(api("/v1/recommendations?user=u1"))
                                                            .header("Accept-Encoding", "gzip").build(),
                                                    HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
        byte[] body = new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes();
        assertThat(JSON.readTree(body).get("recommendation_id").asText()).isNotBlank();
    }

    @Test
    void observeEndpointsLiveOnlyOnTheAdminPort() throws Exception {
        assertThat(get("/observe/health/ready", Map.of()).statusCode()).isEqualTo(404);
        assertThat(get("/observe/metrics", Map.of()).statusCode()).isEqualTo(404);
        assertThat(admin("/observe/health/live", Map.of()).statusCode()).isEqualTo(200);
        assertThat(admin("/observe/health/ready", Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = admin("/observe/metrics", Map.of());
        assertThat(metrics.body()).contains("braid_source_calls_total{", "source=\"trending\"")
                .contains("process_cpu_usage", "jvm_memory_used_bytes{", "jvm_gc_pause_seconds", "jvm_threads_live_threads")
                .contains("http_server_request_duration_seconds_bucket{", "braid_build_info{")
                // Helidon's MicroProfile names of the same facts are gone: one name per fact.
                .doesNotContain("memory_usedHeap_bytes");
    }

    @Test
    void everyMeterSaysWhatItCounts() throws Exception {
        List<String> help = admin("/observe/metrics", Map.of()).body().lines()
                .filter(line -> line.startsWith("# HELP ")).toList();

        assertThat(help).hasSizeGreaterThan(60).allSatisfy(line -> {
            String[] parts = line.split(" ", 4);
            assertThat(parts).as(line).hasSize(4);
            // A sentence, not an echo of the meter's own name: Braid's, the fault-tolerance handlers', the JVM's.
            assertThat(parts[3].strip()).as(line).contains(" ").doesNotStartWith("braid.").doesNotStartWith("ft.");
        });
        assertThat(help).anyMatch(line -> line.startsWith("# HELP ft_retry_calls_total "))
                .anyMatch(line -> line.startsWith("# HELP http_server_request_duration_seconds "));
    }

    @Test
    void eachRequestIsMeasuredByRouteMethodAndStatusClassAndCountedByOutcome() throws Exception {
        double before = sample("http_server_request_duration_seconds_count", "http_route=\"/v1/items/{item_id}\"",
                               "http_request_method=\"GET\"", "http_response_status_class=\"4xx\"");
        double notFound = sample("braid_answers_total", "endpoint=\"items\"", "outcome=\"client_error\"");
        assertThat(get("/v1/items/bad%20id", Map.of()).statusCode()).isEqualTo(400);

        // Measured when the exchange ends, which is just after the client has its answer: read until it shows.
        assertThat(sampleReaching(before + 1, "http_server_request_duration_seconds_count",
                                  "http_route=\"/v1/items/{item_id}\"", "http_request_method=\"GET\"",
                                  "http_response_status_class=\"4xx\""))
                .isGreaterThanOrEqualTo(before + 1);
        assertThat(sampleReaching(notFound + 1, "braid_answers_total", "endpoint=\"items\"",
                                  "outcome=\"client_error\""))
                .isGreaterThanOrEqualTo(notFound + 1);
        // Every latency objective of docs/slo.md is a bucket bound.
        assertThat(admin("/observe/metrics", Map.of()).body()).contains("le=\"0.1\"", "le=\"0.2\"", "le=\"0.25\"",
                                                                       "le=\"0.4\"");
    }

    @Test
    void breakersAreOneSeriesPerState() throws Exception {
        String metrics = admin("/observe/metrics", Map.of()).body();
        assertThat(metrics).contains("braid_source_breaker_state{", "state=\"closed\"", "state=\"half_open\"",
                                     "state=\"open\"");
        assertThat(sample("braid_source_breaker_state", "source=\"trending\"", "state=\"closed\"")).isEqualTo(1.0);
        assertThat(sample("braid_source_breaker_state", "source=\"trending\"", "state=\"open\"")).isEqualTo(0.0);
    }

    /** {@link #sample}, read again every 10 ms for at most 2 s until it reaches {@code target}; the last value read. */
    private static double sampleReaching(double target, String name, String... labels) throws Exception {
        long deadline = System.nanoTime() + 2_000_000_000L;
        double value = sample(name, labels);
        while (value < target && System.nanoTime() < deadline) {
            Thread.sleep(10);
            value = sample(name, labels);
        }
        return value;
    }

    /** The value of the one series of {@code name} whose labels contain each of {@code labels}. */
    private static double sample(String name, String... labels) throws Exception {
        return admin("/observe/metrics", Map.of()).body().lines()
                .filter(line -> line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void adminActionsNeedTheBearerToken() throws Exception {
        HttpResponse<String> anonymous = admin("/admin/config", Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"braid-admin\"");
        assertThat(admin("/admin/config", Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);

        HttpResponse<String> authorized = admin("/admin/config", Map.of("Authorization", "Bearer test-admin-token"));
        assertThat(authorized.statusCode()).isEqualTo(200);
        assertThat(authorized.body()).contains("trending").doesNotContain("test-admin-token")
                .doesNotContain("svc-pass").doesNotContain("t0k3n");
        assertThat(get("/admin/config", Map.of("Authorization", "Bearer test-admin-token")).statusCode()).isEqualTo(404);
    }

    /** Status line, headers and a Content-Length body: the server may keep the connection open after a bad request. */
    private static String readOneResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            head.append((char) next);
        }
        var length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return head + new String(body, StandardCharsets.UTF_8);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String parameter, String reason)
            throws IOException {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("type").asText()).isNotBlank();
        assertThat(problem.get("invalid_params").get(0).get("name").asText()).isEqualTo(parameter);
        assertThat(problem.get("detail").asText()).startsWith(parameter + ": ").contains(reason);
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        return send(api(path), headers);
    }

    private static HttpResponse<String> admin(String path, Map<String, String> headers) throws Exception {
        return send(URI.create("http://127.0.0.1:" + braid.adminPort() + path), headers);
    }

    private static HttpResponse<String> send(URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI api(String path) {
        return URI.create("http://127.0.0.1:" + braid.apiPort() + path);
    }
}

package dev.braid.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.sim.TrendingSimulator;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flight recording of a live instance through the admin API, as an operator takes one: started with the admin token,
 * requests sent, stopped, downloaded, and read back with {@code jdk.jfr.consumer}: each request's {@code braid.Request}
 * event, and the fan-out, downstream calls, blend and search events it caused, found by its request id.
 */
class FlightRecordingsTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "Bearer test-admin-token";

    @TempDir
    static Path recordings;
    private static TrendingSimulator trending;
    private static Braid braid;

    @BeforeAll
    static void start() {
        trending = new TrendingSimulator(DemoCatalog.itemIds(200), Duration.ofMillis(2)).start(0);
        braid = Main.start(TestConfigs.local(Map.of(
                "sources.trending.url", trending.endpoint(),
                "jfr.directory", recordings.toString(),
                "jfr.max-recordings", "2",
                "jfr.max-duration", "5m",
                "jfr.max-size-mb", "64",
                "cache.enabled", "false")));
    }

    @AfterAll
    static void stop() {
        braid.stop();
        trending.close();
    }

    @Test
    void aRecordingStartedThroughTheAdminApiHoldsEachRequestsEvents() throws Exception {
        assertThat(admin("POST", "/admin/jfr/start", null).statusCode()).isEqualTo(401);
        HttpResponse<String> started = admin("POST", "/admin/jfr/start?settings=default&duration=2m", TOKEN);
        assertThat(started.statusCode()).isEqualTo(201);
        JsonNode recording = JSON.readTree(started.body());
        String id = recording.get("id").asText();
        assertThat(recording.get("state").asText()).isEqualTo("running");
        assertThat(recording.get("max_size_mb").asLong()).isEqualTo(64);
        assertThat(started.headers().firstValue("Location")).contains("/admin/jfr/" + id);

        for (int i = 0; i < 3; i++) {
            assertThat(api("/v1/recommendations?user=u" + i + "&n=5", "rec-" + i).statusCode()).isEqualTo(200);
        }
        api("/v1/search?q=shoe", "search-1");
        api("/v1/nothing-here", "missing-1");

        HttpResponse<String> stopped = admin("POST", "/admin/jfr/" + id + "/stop", TOKEN);
        assertThat(JSON.readTree(stopped.body()).get("state").asText()).isEqualTo("stopped");
        HttpResponse<byte[]> download = CLIENT.send(HttpRequest.newBuilder(admin("/admin/jfr/" + id))
                                                            .header("Authorization", TOKEN).build(),
                                                    HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                value -> assertThat(value).contains("braid-" + id + ".jfr"));
        Path file = Files.createTempFile(recordings, "downloaded-", ".jfr");
        Files.write(file, download.body());
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);

        RecordedEvent request = only(events, "braid.Request", "rec-1");
        assertThat(request.getString("route")).isEqualTo("/v1/recommendations");
        assertThat(request.getString("method")).isEqualTo("GET");
        assertThat(request.getInt("status")).isEqualTo(200);
        assertThat(request.getString("outcome")).isIn("complete", "partial", "default_ranking", "cold_start");
        assertThat(request.getString("cache")).isEqualTo("miss");
        assertThat(request.getString("surface")).isEqualTo("home");
        assertThat(request.getString("sourcesAsked")).contains("trending=ok");
        assertThat(request.getString("traceId")).matches("[0-9a-f]{32}");
        assertThat(request.getDuration().toNanos()).isPositive();
        // Where that request's time went: its fan-out, its downstream calls, its blend, found by its id.
        assertThat(only(events, "braid.FanOut", "rec-1").getString("outcomes")).contains("trending=ok");
        assertThat(only(events, "braid.DownstreamCall", "rec-1").getString("source")).isEqualTo("trending");
        assertThat(only(events, "braid.Blend", "rec-1").getInt("items")).isPositive();
        assertThat(only(events, "braid.Search", "search-1").getString("endpoint")).isEqualTo("search");
        RecordedEvent missing = only(events, "braid.Request", "missing-1");
        assertThat(missing.getString("route")).isEqualTo("other");
        assertThat(missing.getString("outcome")).isEqualTo("client_error");
    }

    @Test
    void recordingsAreBoundedInDurationSizeAndCount() throws Exception {
        HttpResponse<String> tooLong = admin("POST", "/admin/jfr/start?duration=1h", TOKEN);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("duration", "300s");
        assertThat(admin("POST", "/admin/jfr/start?max-size-mb=65", TOKEN).body()).contains("max-size-mb");
        assertThat(admin("POST", "/admin/jfr/start?settings=../../etc/passwd", TOKEN).statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/admin/jfr/0123456789abcdef", TOKEN).statusCode()).isEqualTo(404);

        String first = JSON.readTree(admin("POST", "/admin/jfr/start?duration=1m", TOKEN).body()).get("id").asText();
        String second = JSON.readTree(admin("POST", "/admin/jfr/start?duration=1m", TOKEN).body()).get("id").asText();
        try {
            HttpResponse<String> third = admin("POST", "/admin/jfr/start?duration=1m", TOKEN);
            assertThat(third.statusCode()).as(third.body()).isEqualTo(409);
            // A running recording downloads as what it holds so far.
            HttpResponse<byte[]> snapshot = CLIENT.send(HttpRequest.newBuilder(admin("/admin/jfr/" + first))
                                                                .header("Authorization", TOKEN).build(),
                                                        HttpResponse.BodyHandlers.ofByteArray());
            assertThat(snapshot.statusCode()).isEqualTo(200);
            assertThat(snapshot.body()).startsWith('F', 'L', 'R', '\0');
            assertThat(JSON.readTree(admin("GET", "/admin/jfr", TOKEN).body()).get("recordings").findValuesAsText("id"))
                    .contains(first, second);
        } finally {
            admin("POST", "/admin/jfr/" + first + "/stop", TOKEN);
            admin("POST", "/admin/jfr/" + second + "/stop", TOKEN);
        }
        // Stopped ones make room: the oldest finished goes.
        HttpResponse<String> next = admin("POST", "/admin/jfr/start?duration=1m", TOKEN);
        assertThat(next.statusCode()).isEqualTo(201);
        admin("POST", "/admin/jfr/" + JSON.readTree(next.body()).get("id").asText() + "/stop", TOKEN);
    }

    private static RecordedEvent only(List<RecordedEvent> events, String type, String requestId) {
        List<RecordedEvent> found = events.stream().filter(event -> event.getEventType().getName().equals(type))
                .filter(event -> requestId.equals(event.getString("requestId"))).toList();
        assertThat(found).as(type + " of " + requestId).isNotEmpty();
        return found.getFirst();
    }

    private static HttpResponse<String> api(String path, String requestId) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.apiPort() + path))
                                   .header("X-Request-Id", requestId).timeout(Duration.ofSeconds(10)).build(),
                           HttpResponse.BodyHandlers.ofString());
    }

    private static URI admin(String path) {
        return URI.create("http://127.0.0.1:" + braid.adminPort() + path);
    }

    private static HttpResponse<String> admin(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(admin(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

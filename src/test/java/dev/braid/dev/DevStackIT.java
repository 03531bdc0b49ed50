package dev.braid.dev;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.testing.FreePort;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/dev} as a person runs it (README.md, docs/development.md): the READY line, the envelope for a demo user,
 * a hung downstream switched on through the simulator API, the metrics, and a SIGTERM that stops everything.
 */
class DevStackIT {
    private static final Pattern READY = Pattern.compile(
            "BRAID READY api=http://127\\.0\\.0\\.1:(\\d+) admin=http://127\\.0\\.0\\.1:(\\d+) sim=http://127\\.0\\.0\\.1:(\\d+)"
            + " redis=redis://127\\.0\\.0\\.1:(\\d+) opensearch=http://127\\.0\\.0\\.1:(\\d+)");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Process devStack;
    private static Path out;
    private static Matcher ready;

    @BeforeAll
    static void start() throws Exception {
        // Maven is running this test after `package`: the build is current, so bin/dev must not start another one.
        Files.writeString(Path.of("target", ".dev-build-stamp"), "");
        int api = FreePort.find();
        int admin = FreePort.find();
        int sim = FreePort.find();
        out = Files.createTempFile("bin-dev", ".out");
        Path err = Files.createTempFile("bin-dev", ".err");
        devStack = new ProcessBuilder(List.of("bin/dev", "--port", Integer.toString(api), "--admin-port",
                                              Integer.toString(admin), "--sim-port", Integer.toString(sim)))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (ready == null) {
            assertThat(devStack.isAlive()).as("bin/dev is running; its log:%n%s", Files.readString(err)).isTrue();
            assertThat(System.nanoTime()).as("READY within 120 s").isLessThan(deadline);
            Matcher match = READY.matcher(Files.readString(out));
            if (match.find()) {
                ready = match;
            } else {
                Thread.sleep(200);
            }
        }
        assertThat(ready.group(1)).isEqualTo(Integer.toString(api));
        assertThat(ready.group(2)).isEqualTo(Integer.toString(admin));
        assertThat(ready.group(3)).isEqualTo(Integer.toString(sim));
    }

    @AfterAll
    static void stop() throws Exception {
        if (devStack != null) {
            devStack.destroy();
            assertThat(devStack.waitFor(30, TimeUnit.SECONDS)).as("bin/dev stops on SIGTERM").isTrue();
            assertThat(FreePort.isFree(Integer.parseInt(ready.group(1)))).isTrue();
            assertThat(FreePort.isFree(Integer.parseInt(ready.group(4)))).as("Redis stopped with it").isTrue();
            assertThat(FreePort.isFree(Integer.parseInt(ready.group(5)))).as("OpenSearch stopped with it").isTrue();
        }
    }

    @Test
    void aDemoUserGetsTheEnvelopeAndAHungSourceGivesAPartialAnswerInTime() throws Exception {
        JsonNode healthy = JSON.readTree(get(api("/v1/recommendations?user=u1&n=5")).body());
        assertThat(healthy.get("partial").asBoolean()).isFalse();
        assertThat(healthy.get("sources_used")).as(healthy.get("sources").toString()).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("trending", "personalize", "databricks", "content");
        assertThat(healthy.get("items")).hasSize(5);
        assertThat(healthy.at("/items/0/title").asText()).isNotBlank();

        HttpResponse<String> hang = post(sim("/sim/trending/mode"), "{\"mode\":\"hang\"}");
        assertThat(hang.statusCode()).isEqualTo(200);
        try {
            long started = System.nanoTime();
            // Another user: u1's list is cached (the warm-up signs in as u1), and a cached list calls no source.
            HttpResponse<String> partial = get(api("/v1/recommendations?user=u2"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(partial.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(partial.body()).get("partial").asBoolean()).isTrue();
            assertThat(took).isLessThan(Duration.ofMillis(150 + 400));
        } finally {
            post(sim("/sim/trending/reset"), "");
        }
        String metrics = get(URI.create("http://127.0.0.1:" + ready.group(2) + "/observe/metrics")).body();
        assertThat(metrics).containsPattern("braid_source_calls_total\\{outcome=\"timeout\",.*source=\"trending\",?\\} [1-9]");
    }

    @Test
    void theSimulatorApiKnowsEveryDownstream() throws Exception {
        JsonNode all = JSON.readTree(get(sim("/sim")).body());
        assertThat(all.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("personalize", "databricks", "trending", "redis", "opensearch");
    }

    private static URI api(String path) {
        return URI.create("http://127.0.0.1:" + ready.group(1) + path);
    }

    private static URI sim(String path) {
        return URI.create("http://127.0.0.1:" + ready.group(3) + path);
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                           HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(URI uri, String body) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                                   .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                           HttpResponse.BodyHandlers.ofString());
    }
}

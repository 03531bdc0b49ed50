package dev.braid.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.testing.RawHttp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica over its bound of concurrent requests answers the excess at once with a 503 problem and Retry-After,
 * instead of queueing it into its deadline; readiness and the admin port are never shed.
 */
class ConcurrencyBoundTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The trending service: it accepts connections and never answers. */
    private static ServerSocket hung;
    private static final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private static Braid braid;

    @BeforeAll
    static void start() throws IOException {
        hung = new ServerSocket(0);
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    accepted.add(hung.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        braid = Main.start(TestConfigs.local(Map.of(
                "server.max-concurrent-requests", "2",
                "sources.trending.url", "http://127.0.0.1:" + hung.getLocalPort() + "/v1/trending",
                "sources.trending.timeout", "4s",
                "sources.trending.retry.attempts", "1",
                "surfaces.home.budget", "4s",
                "cache.enabled", "false")));
    }

    @AfterAll
    static void stop() throws IOException {
        braid.stop();
        hung.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    @Test
    void theExcessIsAnswered503AtOnceAndTheAdminPortStillAnswers() throws Exception {
        List<RawHttp> held = List.of(RawHttp.connect(braid.apiPort()), RawHttp.connect(braid.apiPort()));
        try {
            int user = 0;
            for (RawHttp http : held) {
                http.send("GET /v1/recommendations?user=held-" + user++ + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            }
            // Both requests are in flight once the hung downstream has a call from each.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (accepted.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(accepted).hasSizeGreaterThanOrEqualTo(2);

            RawHttp.Received shed;
            try (RawHttp extra = RawHttp.connect(braid.apiPort())) {
                extra.send("GET /v1/recommendations?user=late HTTP/1.1\r\nHost: localhost\r\n\r\n");
                shed = extra.receive(WAIT);
            }
            RawHttp.Response answer = shed.responses().getFirst();
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.header("Retry-After")).isEqualTo("1");
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(JSON.readTree(answer.body()).get("detail").asText()).contains("concurrent requests");
            // Answered, not queued: long before the held requests' 4 s budget runs out.
            assertThat(shed.took()).isLessThan(Duration.ofSeconds(2));

            HttpResponse<String> ready = CLIENT.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + braid.adminPort() + "/observe/health/ready")).build(),
                                                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
        } finally {
            held.forEach(RawHttp::close);
        }
    }
}

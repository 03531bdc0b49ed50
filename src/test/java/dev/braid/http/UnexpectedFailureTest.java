package dev.braid.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.braid.Components;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.observe.LogFormatter;

import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A bug in a handler: the caller gets a 500 problem with nothing internal in it; the log gets the request id. */
class UnexpectedFailureTest {
    private static final List<String> LOG_LINES = new CopyOnWriteArrayList<>();
    /** Held strongly: LogManager keeps loggers weakly, and a collected logger would come back without our handler. */
    private static final Logger PROBLEMS_LOG = Logger.getLogger(ProblemResponses.class.getName());
    private static final Handler CAPTURE = new Handler() {
        private final LogFormatter formatter = new LogFormatter();

        @Override
        public void publish(LogRecord record) {
            LOG_LINES.add(formatter.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static Components components;
    private static WebServer server;

    @BeforeAll
    static void start() {
        PROBLEMS_LOG.addHandler(CAPTURE);
        components = Components.create(TestConfigs.local(Map.of()));
        server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(routing -> {
                    Main.routing(routing, components);
                    routing.get("/boom", (req, res) -> {
                        throw new IllegalStateException("secret internal state: password=hunter2");
                    });
                }).build().start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        components.close();
        PROBLEMS_LOG.removeHandler(CAPTURE);
    }

    @Test
    void aBugIsA500ProblemWithoutInternalsAndALogLineWithTheRequestId() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/boom"))
                        .header("X-Request-Id", "bug-42").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.headers().firstValue("X-Request-Id")).contains("bug-42");
        assertThat(response.body()).contains("\"request_id\":\"bug-42\"", "quote request id bug-42")
                .doesNotContain("hunter2", "IllegalStateException", "at dev.braid");
        assertThat(LOG_LINES).anySatisfy(line -> assertThat(line)
                .containsPattern("SEVERE \\[bug-42 [0-9a-f]{32}] ProblemResponses: unexpected failure of GET /boom")
                .contains("IllegalStateException: secret internal state"));
    }
}

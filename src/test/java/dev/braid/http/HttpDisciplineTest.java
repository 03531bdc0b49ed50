package dev.braid.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.testing.RawHttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.1 as a hostile client speaks it, on plain sockets: ambiguous framing, smuggled second requests, other
 * versions and methods, {@code Connection: close}, and sockets that trickle or say nothing. Every case gets an answer
 * or a closed connection within its deadline, never a hang and never a second request read from a body.
 */
class HttpDisciplineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(400);
    private static final Duration BODY_TIMEOUT = Duration.ofMillis(400);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(800);
    private static final int PER_CLIENT = 12;
    /** Room for every test's connections, and little enough that one client could fill it with silent ones. */
    private static final int MAX_CONNECTIONS = 48;
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(800);
    private static final int ADMIN_PER_CLIENT = 4;
    /** Time enough for any answer here; the deadlines above are far shorter. */
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String HOST = "Host: localhost\r\n";
    /** A request whose answer would show if the server read it out of the previous request's body. */
    private static final String SMUGGLED = "GET /v1/items/smuggled HTTP/1.1\r\n" + HOST + "\r\n";

    /**
     * Warnings and errors of the layers that read requests (Helidon's server, Braid's edge) while the tests run: a
     * misbehaving client is not a failure of ours. (Redis is absent here; its own warnings are another matter.)
     */
    private static final List<LogRecord> WARNINGS = new CopyOnWriteArrayList<>();
    private static final Logger ROOT = Logger.getLogger("");
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String logger = String.valueOf(record.getLoggerName());
            if (record.getLevel().intValue() >= Level.WARNING.intValue()
                && (logger.startsWith("io.helidon.webserver") || logger.startsWith("dev.braid.http"))) {
                WARNINGS.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static Braid braid;

    @BeforeAll
    static void start() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        braid = Main.start(TestConfigs.local(Map.ofEntries(
                Map.entry("sources.trending.url", "http://127.0.0.1:" + closedPort + "/v1/trending"),
                // A hundred items a page: answers of some 20 KB, so that a client that does not read fills buffers fast.
                Map.entry("surfaces.home.fallback-items", java.util.stream.IntStream.rangeClosed(1, 100)
                        .mapToObj(i -> "fallback-item-" + i).collect(java.util.stream.Collectors.joining(","))),
                Map.entry("server.connections.header-timeout", HEADER_TIMEOUT.toMillis() + "ms"),
                Map.entry("server.connections.body-timeout", BODY_TIMEOUT.toMillis() + "ms"),
                Map.entry("server.connections.idle-timeout", IDLE_TIMEOUT.toMillis() + "ms"),
                Map.entry("server.connections.per-client", String.valueOf(PER_CLIENT)),
                Map.entry("server.connections.max", String.valueOf(MAX_CONNECTIONS)),
                Map.entry("server.connections.response-timeout", RESPONSE_TIMEOUT.toMillis() + "ms"),
                Map.entry("server.admin-connections.per-client", String.valueOf(ADMIN_PER_CLIENT)),
                Map.entry("server.admin-connections.max", String.valueOf(4 * ADMIN_PER_CLIENT)),
                Map.entry("server.admin-connections.idle-timeout", IDLE_TIMEOUT.toMillis() + "ms"))));
        ROOT.addHandler(CAPTURE);
    }

    @AfterAll
    static void stop() {
        ROOT.removeHandler(CAPTURE);
        braid.stop();
    }

    @BeforeEach
    void previousTestsConnectionsAreGone() throws InterruptedException {
        // The server ends a connection a moment after its client closes it; the per-client count must start at zero.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (braid.components().connections().openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(braid.components().connections().openConnections()).isZero();
        WARNINGS.clear();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown transfer coding|Transfer-Encoding: gzip",
            "chunked not final|Transfer-Encoding: chunked, gzip",
            "chunked twice|Transfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked",
            "transfer encoding with a length|Transfer-Encoding: chunked\\r\\nContent-Length: 5",
            "two different lengths|Content-Length: 0\\r\\nContent-Length: 43",
            "two equal lengths|Content-Length: 43\\r\\nContent-Length: 43",
            "a list of lengths|Content-Length: 43, 43",
            "a negative length|Content-Length: -1",
            "a signed length|Content-Length: +43",
            "a length past long|Content-Length: 99999999999999999999999",
            "space before the colon|Transfer-Encoding : chunked",
            "an obsolete line fold|X-Folded: a\\r\\n  b\\r\\nContent-Length: 43"})
    void ambiguousFramingIsA400AndTheConnectionCloses(String name, String framing) {
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            String request = "POST /v1/events HTTP/1.1\r\n" + HOST + "Content-Type: application/json\r\n"
                             + framing.replace("\\r\\n", "\r\n") + "\r\n\r\n" + SMUGGLED;
            http.send(request);
            RawHttp.Received received = http.receive(WAIT);

            assertThat(received.closed()).as("connection closed").isTrue();
            assertThat(received.responses()).as("answers: %s", received.text()).hasSize(1);
            RawHttp.Response answer = received.responses().getFirst();
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(answer.body()).contains("\"status\":400").doesNotContain("smuggled");
        }
    }

    @Test
    void aMalformedChunkIsA400NamingTheBodyAndClosesTheConnection() throws IOException {
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            http.send("POST /v1/events HTTP/1.1\r\n" + HOST + "Content-Type: application/json\r\n"
                      + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{\"events\":[]}\r\n0\r\n\r\n" + SMUGGLED);
            RawHttp.Received received = http.receive(WAIT);

            assertThat(received.closed()).isTrue();
            assertThat(received.responses()).hasSize(1);
            JsonNode problem = JSON.readTree(received.responses().getFirst().body());
            assertThat(problem.get("status").asInt()).isEqualTo(400);
            assertThat(problem.get("invalid_params").get(0).get("name").asText()).isEqualTo("body");
        }
        assertThat(WARNINGS).extracting(record -> record.getLoggerName() + ": " + record.getMessage()).isEmpty();
    }

    @Test
    void connectionCloseIsHonouredAndNothingAfterItIsRead() {
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            http.send("GET /v1/recommendations HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n" + SMUGGLED);
            RawHttp.Received received = http.receive(WAIT);

            assertThat(received.closed()).isTrue();
            assertThat(received.responses()).hasSize(1);
            assertThat(received.responses().getFirst().status()).isEqualTo(200);
            assertThat(received.responses().getFirst().header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnAKeptConnection() {
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            http.send("GET /v1/recommendations?n=1 HTTP/1.1\r\n" + HOST + "\r\n"
                      + "GET /v1/recommendations?n=0 HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n");
            RawHttp.Received received = http.receive(WAIT);

            assertThat(received.closed()).isTrue();
            assertThat(received.responses()).extracting(RawHttp.Response::status).containsExactly(200, 400);
        }
    }

    @Test
    void http10GetsA505ProblemAndAClosedConnectionNeverSilence() {
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            http.send("GET /v1/recommendations HTTP/1.0\r\n" + HOST + "\r\n");
            RawHttp.Received received = http.receive(WAIT);

            assertThat(received.closed()).isTrue();
            RawHttp.Response answer = received.responses().getFirst();
            assertThat(answer.status()).isEqualTo(505);
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(answer.body()).contains("HTTP/1.1");
        }
    }

    @ParameterizedTest(name = "HEAD {0}")
    @ValueSource(strings = {"/v1/recommendations?user=u1", "/v1/recommendations", "/v1/items/nope", "/v1/search?q=x",
                            "/v1/feed", "/v1/recommendations?n=0", "/openapi"})
    void headAnswersLikeGetWithoutABody(String target) {
        RawHttp.Response get = exchange("GET " + target + " HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n");
        RawHttp.Received head;
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            http.send("HEAD " + target + " HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n");
            head = http.receive(WAIT);
        }
        assertThat(head.closed()).isTrue();
        // Nothing after the head: the whole text ends with the blank line.
        assertThat(head.text()).endsWith("\r\n\r\n");
        RawHttp.Response answer = head.responses().getFirst();
        assertThat(answer.status()).isEqualTo(get.status());
        assertThat(answer.header("Content-Type")).isEqualTo(get.header("Content-Type"));
        assertThat(answer.header("Cache-Control")).isEqualTo(get.header("Cache-Control"));
        assertThat(Integer.parseInt(answer.header("Content-Length"))).isPositive();
        assertThat(answer.body()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"OPTIONS,/v1/recommendations,'GET, HEAD'", "DELETE,/v1/recommendations,'GET, HEAD'",
                "PUT,/v1/items/i1,'GET, HEAD'", "PATCH,/v1/search,'GET, HEAD'", "GET,/v1/events,POST",
                "DELETE,/v1/feed,'GET, HEAD'", "OPTIONS,/openapi,'GET, HEAD'"})
    void aWrongMethodIs405NamingTheAllowedOnes(String method, String path, String allow) throws IOException {
        RawHttp.Response answer = exchange(method + " " + path + " HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.header("Allow")).isEqualTo(allow);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(JSON.readTree(answer.body()).get("detail").asText()).contains(method).contains(allow);
    }

    @ParameterizedTest(name = "Content-Type: {0}")
    @CsvSource(delimiter = '|', value = {"text/plain|was text/plain", "application/x-www-form-urlencoded|was "
                                         + "application/x-www-form-urlencoded", "application/json; charset=latin1|UTF-8",
                                         "''|none was sent"})
    void aPostThatIsNotJsonIsA415(String type, String reason) throws IOException {
        String header = type.isEmpty() ? "" : "Content-Type: " + type + "\r\n";
        String body = "{\"events\":[]}";
        RawHttp.Response answer = exchange("POST /v1/events HTTP/1.1\r\n" + HOST + header + "Content-Length: "
                                           + body.length() + "\r\nConnection: close\r\n\r\n" + body);

        assertThat(answer.status()).isEqualTo(415);
        assertThat(JSON.readTree(answer.body()).get("detail").asText()).startsWith("Content-Type:").contains(reason);
    }

    @ParameterizedTest(name = "Content-Type: {0}")
    @ValueSource(strings = {"APPLICATION/JSON", "application/json ; charset=\"utf-8\"", "Application/Json;CHARSET=UTF-8",
                            "application/json;", "application/json;\tcharset=utf-8"})
    void jsonIsJsonWhateverItsCaseAndSpacing(String type) {
        String body = "{\"events\":[]}";
        RawHttp.Response answer = exchange("POST /v1/events HTTP/1.1\r\n" + HOST + "Content-Type: " + type + "\r\n"
                                           + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);

        // Past the media type: the empty batch is the body's fault, named as such.
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("events");
    }

    @Test
    void twoContentTypesAreA415() {
        String body = "{\"events\":[]}";
        RawHttp.Response answer = exchange("POST /v1/events HTTP/1.1\r\n" + HOST + "Content-Type: application/json\r\n"
                                           + "Content-Type: text/plain\r\nContent-Length: " + body.length()
                                           + "\r\nConnection: close\r\n\r\n" + body);

        assertThat(answer.status()).isEqualTo(415);
    }

    @Test
    void aCompressedRequestBodyIsRefusedNotInflated() {
        RawHttp.Response answer = exchange("POST /v1/events HTTP/1.1\r\n" + HOST + "Content-Type: application/json\r\n"
                                           + "Content-Encoding: gzip\r\nContent-Length: 4\r\nConnection: close\r\n\r\n"
                                           + "\u001f\u008b\u0008\u0000");
        assertThat(answer.status()).isEqualTo(400);
    }

    @Test
    void aHeaderSectionTrickledInIsCutAtItsDeadlineWith408() {
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            http.send("GET /v1/recommendations HTTP/1.1\r\n" + HOST);
            RawHttp.Received received = trickle(http, "X-Slow: ", Duration.ofMillis(100));

            assertThat(received.closed()).isTrue();
            assertThat(received.responses()).extracting(RawHttp.Response::status).containsExactly(408);
            // Closed at the deadline (swept every tenth of it), long before the trickle would have finished.
            assertThat(received.took()).isLessThan(HEADER_TIMEOUT.multipliedBy(3));
        }
        assertThat(WARNINGS).extracting(record -> record.getLoggerName() + ": " + record.getMessage()).isEmpty();
    }

    @Test
    void aBodyTrickledInIsCutAtItsDeadlineWith408AndCountedAsAClientAbort() throws InterruptedException {
        long aborts = braid.components().meters().clientAborts();
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            http.send("POST /v1/events HTTP/1.1\r\n" + HOST + "Content-Type: application/json\r\n"
                      + "Content-Length: 400\r\n\r\n{");
            RawHttp.Received received = trickle(http, " ", Duration.ofMillis(100));

            assertThat(received.closed()).isTrue();
            assertThat(received.responses()).extracting(RawHttp.Response::status).containsExactly(408);
            assertThat(received.took()).isLessThan(BODY_TIMEOUT.multipliedBy(3));
        }
        awaitAborts(aborts + 1);
        assertThat(WARNINGS).extracting(record -> record.getLoggerName() + ": " + record.getMessage()).isEmpty();
    }

    @Test
    void aClientThatGoesAwayMidBodyIsAQuietAbortNotA500() throws InterruptedException {
        long aborts = braid.components().meters().clientAborts();
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            http.send("POST /v1/events HTTP/1.1\r\n" + HOST + "Content-Type: application/json\r\n"
                      + "Content-Length: 400\r\n\r\n{\"events\": [");
            // Reading nothing back: the server is inside the body when the client leaves.
        }
        awaitAborts(aborts + 1);
        assertThat(WARNINGS).extracting(record -> record.getLoggerName() + ": " + record.getMessage()).isEmpty();
    }

    @Test
    void aSocketThatSaysNothingIsClosedAtTheIdleDeadline() {
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            RawHttp.Received received = http.receive(WAIT);

            assertThat(received.closed()).isTrue();
            assertThat(received.text()).isEmpty();
            assertThat(received.took()).isLessThan(IDLE_TIMEOUT.multipliedBy(3));
        }
    }

    @Test
    void aKeptConnectionIsClosedAfterTheIdleDeadlineButServesUntilThen() {
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            http.send("GET /v1/recommendations HTTP/1.1\r\n" + HOST + "\r\n");
            assertThat(http.receiveOne(WAIT).status()).isEqualTo(200);
            http.send("GET /v1/recommendations HTTP/1.1\r\n" + HOST + "\r\n");
            assertThat(http.receiveOne(WAIT).status()).isEqualTo(200);

            RawHttp.Received rest = http.receive(WAIT);
            assertThat(rest.closed()).isTrue();
            assertThat(rest.text()).isEmpty();
        }
    }

    @Test
    void aClientHoldsAtMostItsShareOfConnections() {
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_CLIENT; i++) {
                RawHttp http = RawHttp.connect(braid.apiPort());
                held.add(http);
                http.send("GET /v1/recommendations?n=1 HTTP/1.1\r\n" + HOST + "\r\n");
                assertThat(http.receiveOne(WAIT).status()).isEqualTo(200);
            }
            RawHttp.Response refused;
            try (RawHttp extra = RawHttp.connect(braid.apiPort())) {
                extra.send("GET /v1/recommendations?n=1 HTTP/1.1\r\n" + HOST + "\r\n");
                RawHttp.Received received = extra.receive(WAIT);
                assertThat(received.closed()).isTrue();
                refused = received.responses().getFirst();
            }
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(braid.components().meters().connectionsClosed("too_many_connections")).isPositive();

            // The connections held keep being served.
            RawHttp first = held.getFirst();
            first.send("GET /v1/recommendations?n=1 HTTP/1.1\r\n" + HOST + "\r\n");
            assertThat(first.receiveOne(WAIT).status()).isEqualTo(200);
        } finally {
            held.forEach(RawHttp::close);
        }
    }

    @Test
    void silentConnectionsBeyondAClientsShareAreClosedSoOthersStillGetIn() {
        List<RawHttp> flood = new ArrayList<>();
        long refusedBefore = braid.components().meters().connectionsClosed("too_many_connections");
        long idleBefore = braid.components().meters().connectionsClosed("idle");
        try {
            // One address opens twice as many silent connections as the whole port holds.
            for (int i = 0; i < 2 * MAX_CONNECTIONS; i++) {
                flood.add(RawHttp.connect(braid.apiPort()));
            }
            try (RawHttp bystander = RawHttp.connectFrom("127.0.0.2", braid.apiPort())) {
                bystander.send("GET /v1/recommendations?n=1 HTTP/1.1\r\n" + HOST + "\r\n");
                assertThat(bystander.receiveOne(WAIT).status()).isEqualTo(200);
            }
            long overShare = 2L * MAX_CONNECTIONS - PER_CLIENT;
            awaitCount("too_many_connections", refusedBefore + overShare);
            // Closed as over the share, not left to sit out the idle deadline like the share itself.
            assertThat(braid.components().meters().connectionsClosed("idle") - idleBefore).isLessThanOrEqualTo(PER_CLIENT);
        } finally {
            flood.forEach(RawHttp::close);
        }
    }

    @Test
    void aClientThatDoesNotReadItsAnswersIsCutOffAtTheResponseDeadline() throws Exception {
        long before = braid.components().meters().connectionsClosed("response_timeout");
        try (RawHttp http = RawHttp.connectWithReceiveBuffer(braid.apiPort(), 4096)) {
            // Far more answer bytes than the socket buffers hold, none of them read. The sender blocks too once the
            // server stops reading; it stops when the server closes the connection.
            String requests = ("GET /v1/recommendations?n=100 HTTP/1.1\r\n" + HOST + "\r\n").repeat(100);
            Thread sender = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 1_000 && http.trySend(requests); i++) {
                    // keep asking
                }
            });
            awaitCount("response_timeout", before + 1);
            sender.join(WAIT);
            assertThat(sender.isAlive()).as("the sender is unblocked by the close").isFalse();
        }
    }

    @Test
    void theAdminPortHasItsOwnSharesAndDeadlinesSoAFloodOfItLeavesProbesAnswered() {
        List<RawHttp> flood = new ArrayList<>();
        long refusedBefore = braid.components().meters().connectionsClosed("admin", "too_many_connections");
        long idleBefore = braid.components().meters().connectionsClosed("admin", "idle");
        try {
            for (int i = 0; i < 8 * ADMIN_PER_CLIENT; i++) {
                flood.add(RawHttp.connect(braid.adminPort()));
            }
            try (RawHttp probe = RawHttp.connectFrom("127.0.0.3", braid.adminPort())) {
                probe.send("GET /observe/health/ready HTTP/1.1\r\n" + HOST + "\r\n");
                assertThat(probe.receiveOne(WAIT).status()).isEqualTo(200);
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (braid.components().meters().connectionsClosed("admin", "too_many_connections") - refusedBefore
                   < 7L * ADMIN_PER_CLIENT && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(braid.components().meters().connectionsClosed("admin", "too_many_connections") - refusedBefore)
                    .isGreaterThanOrEqualTo(7L * ADMIN_PER_CLIENT);
            // The share itself, silent, is closed at the idle deadline like the API port's.
            assertThat(flood.stream().limit(ADMIN_PER_CLIENT).allMatch(http -> http.closedBy(WAIT))).isTrue();
            assertThat(braid.components().meters().connectionsClosed("admin", "idle") - idleBefore)
                    .isGreaterThanOrEqualTo(ADMIN_PER_CLIENT);
        } finally {
            flood.forEach(RawHttp::close);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET\u0001", "GET\t", "G(T", "GET:"})
    void aMethodHttpDoesNotAllowIsA400NotA500(String method) {
        RawHttp.Response answer = exchange(method + " /v1/items/i1 HTTP/1.1\r\n" + HOST + "\r\n");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("method or target");
        assertThat(WARNINGS).isEmpty();
    }

    @Test
    void aClientThatGoesAwayMidHeadersIsAQuietAbort() {
        long aborts = braid.components().meters().clientAborts();
        for (int port : List.of(braid.apiPort(), braid.adminPort())) {
            try (RawHttp http = RawHttp.connect(port)) {
                http.send("GET /v1/items/i1 HTTP/1.1\r\n" + HOST + "X-Half: a header without its en");
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (braid.components().connections().openConnections() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(braid.components().connections().openConnections()).isZero();
        // Whether the server read the half header before the close arrived is the network's race; either way, no
        // warning, and at most one abort counted per connection.
        assertThat(WARNINGS).isEmpty();
        assertThat(braid.components().meters().clientAborts() - aborts).isBetween(0L, 2L);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip, chunked", "identity, chunked"})
    void aTransferCodingOtherThanChunkedIsA400NotA501(String codings) {
        RawHttp.Response answer = exchange("POST /v1/events HTTP/1.1\r\n" + HOST + "Content-Type: application/json\r\n"
                                           + "Transfer-Encoding: " + codings + "\r\n\r\n0\r\n\r\n");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).doesNotContain("Exception");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/v1/search?q=%zz|q", "/v1/search?q=ok&size=%4|size", "/v1/recommendations?user=%|user",
            "/v1/recommendations?user=u1&exclude=%ff%fe|exclude", "/v1/search?filter.brand=%C3%28|filter.brand",
            "/v1/search?%zz=1|a parameter name", "/v1/items/%zz|path"})
    void aMalformedPercentEscapeIsA400NamingItsParameter(String target, String named) throws IOException {
        RawHttp.Response answer = exchange("GET " + target + " HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(400);
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.get("detail").asText()).startsWith(named + ": ").contains("percent-encoded");
        assertThat(problem.get("invalid_params").get(0).get("name").asText()).isEqualTo(named);
    }

    /** Waits (a bounded poll) until the server has closed {@code count} connections for {@code reason}. */
    private static void awaitCount(String reason, long count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (braid.components().meters().connectionsClosed(reason) < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(braid.components().meters().connectionsClosed(reason)).as(reason).isGreaterThanOrEqualTo(count);
    }

    private static RawHttp.Response exchange(String request) {
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            http.send(request);
            RawHttp.Received received = http.receive(WAIT);
            assertThat(received.closed()).as("closed after: %s", request).isTrue();
            assertThat(received.responses()).as("one answer to: %s", request).hasSize(1);
            return received.responses().getFirst();
        }
    }

    /** Sends {@code prefix} then one byte every {@code pause} until the server answers or closes; what it sent. */
    private static RawHttp.Received trickle(RawHttp http, String prefix, Duration pause) {
        long started = System.nanoTime();
        long deadline = started + WAIT.toNanos();
        StringBuilder text = new StringBuilder();
        http.send(prefix);
        while (System.nanoTime() < deadline) {
            RawHttp.Received received = http.receive(pause);
            text.append(received.text());
            boolean stopped = received.closed() || !text.isEmpty() || !http.trySend("a");
            if (stopped) {
                RawHttp.Received rest = received.closed() ? received : http.receive(WAIT);
                if (rest != received) {
                    text.append(rest.text());
                }
                return new RawHttp.Received(text.toString(), rest.closed(), Duration.ofNanos(System.nanoTime() - started));
            }
        }
        throw new AssertionError("the server never cut the trickle");
    }

    /** A bounded poll: the server counts the abort on its own thread, a moment after the client left. */
    private static void awaitAborts(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (braid.components().meters().clientAborts() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(braid.components().meters().clientAborts()).isGreaterThanOrEqualTo(expected);
    }
}

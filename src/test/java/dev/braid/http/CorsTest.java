package dev.braid.http;

import java.time.Duration;
import java.util.Map;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.testing.RawHttp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-origin calls: answered for the configured browser origins only, and with no CORS header at all where none is
 * configured, so a page on another site can neither read Braid's answers nor post events without a preflight.
 */
class CorsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String SHOP = "https://shop.example.com";
    private static Braid withCors;
    private static Braid withoutCors;

    @BeforeAll
    static void start() {
        withCors = Main.start(TestConfigs.local(Map.of("server.cors.allowed-origins", SHOP,
                                                       "sources.trending.url", "http://127.0.0.1:9/v1/trending")));
        withoutCors = Main.start(TestConfigs.local(Map.of("sources.trending.url", "http://127.0.0.1:9/v1/trending")));
    }

    @AfterAll
    static void stop() {
        withCors.stop();
        withoutCors.stop();
    }

    @Test
    void aConfiguredOriginGetsItsPreflightAndItsAnswers() {
        String preflightText;
        try (RawHttp http = RawHttp.connect(withCors.apiPort())) {
            http.send("OPTIONS /v1/events HTTP/1.1\r\nHost: localhost\r\nOrigin: " + SHOP
                      + "\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n"
                      + "Connection: close\r\n\r\n");
            preflightText = http.receive(WAIT).text();
        }
        // Helidon writes each allowed method on a line of its own.
        RawHttp.Response preflight = new RawHttp.Received(preflightText, true, Duration.ZERO).responses().getFirst();
        assertThat(preflight.status()).isBetween(200, 204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(SHOP);
        assertThat(preflightText).containsIgnoringCase("Access-Control-Allow-Methods: POST");

        RawHttp.Response answer = exchange(withCors, "GET /v1/recommendations HTTP/1.1\r\nHost: localhost\r\nOrigin: "
                                                     + SHOP + "\r\nConnection: close\r\n\r\n");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(SHOP);
    }

    @Test
    void anotherOriginGetsNoCrossOriginHeader() {
        RawHttp.Response answer = exchange(withCors, "GET /v1/recommendations HTTP/1.1\r\nHost: localhost\r\n"
                                                     + "Origin: https://evil.example\r\nConnection: close\r\n\r\n");
        assertThat(answer.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void withoutConfiguredOriginsCorsIsOff() {
        RawHttp.Response answer = exchange(withoutCors, "GET /v1/recommendations HTTP/1.1\r\nHost: localhost\r\nOrigin: "
                                                        + SHOP + "\r\nConnection: close\r\n\r\n");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().keySet()).noneMatch(name -> name.startsWith("access-control-"));

        RawHttp.Response preflight = exchange(withoutCors, "OPTIONS /v1/events HTTP/1.1\r\nHost: localhost\r\nOrigin: "
                                                           + SHOP + "\r\nAccess-Control-Request-Method: POST\r\n"
                                                           + "Connection: close\r\n\r\n");
        assertThat(preflight.status()).isEqualTo(405);
        assertThat(preflight.headers().keySet()).noneMatch(name -> name.startsWith("access-control-"));
    }

    private static RawHttp.Response exchange(Braid braid, String request) {
        try (RawHttp http = RawHttp.connect(braid.apiPort())) {
            http.send(request);
            return http.receive(WAIT).responses().getFirst();
        }
    }
}

package dev.braid.sim;

import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import dev.braid.dev.DemoCatalog;
import dev.braid.testing.FaultMode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrendingSimulatorIT {
    private static TrendingSimulator sim;

    @BeforeAll
    static void start() {
        sim = new TrendingSimulator(DemoCatalog.itemIds(1000), Duration.ZERO).start(0);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void heal() {
        sim.reset();
    }

    @Test
    void answersItsJsonProtocolDeterministically() throws Exception {
        JsonNode home = SimHttp.json(SimHttp.get(uri("?surface=home&limit=7&user=u1")));
        JsonNode again = SimHttp.json(SimHttp.get(uri("?surface=home&limit=7&user=u2")));
        JsonNode cart = SimHttp.json(SimHttp.get(uri("?surface=cart&limit=7")));

        assertThat(home.get("items")).hasSize(7);
        assertThat(home.get("items")).isEqualTo(again.get("items")).isNotEqualTo(cart.get("items"));
        assertThat(home.at("/items/0/item_id").asText()).matches("i\\d+");
        assertThat(home.at("/items/0/score").asDouble()).isGreaterThan(home.at("/items/6/score").asDouble());
        assertThat(home.get("model_version").asText()).isEqualTo(TrendingSimulator.MODEL_VERSION);
        assertThat(sim.lastRequest().query()).contains("surface=cart");
    }

    @Test
    void aBadLimitIsA400() throws Exception {
        assertThat(SimHttp.get(uri("?surface=home&limit=0")).statusCode()).isEqualTo(400);
        assertThat(SimHttp.get(uri("?surface=home&limit=x")).statusCode()).isEqualTo(400);
    }

    @Test
    void hangAcceptsAndNeverAnswersUntilReleased() {
        sim.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
        var request = java.net.http.HttpRequest.newBuilder(uri("?surface=home")).timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(sim.requests()).isEqualTo(1);
    }

    @Test
    void throttleCarriesRetryAfter() throws Exception {
        sim.mode(FaultMode.THROTTLE, Duration.ZERO, Duration.ofSeconds(4));
        HttpResponse<String> response = SimHttp.get(uri("?surface=home"));
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains("4");
    }

    private static URI uri(String query) {
        return URI.create(sim.endpoint() + query);
    }
}

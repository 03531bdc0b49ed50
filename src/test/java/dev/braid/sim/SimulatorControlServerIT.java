package dev.braid.sim;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.braid.dev.DemoCatalog;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.RedisExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator control API (docs/operations.md), driven over HTTP, changing what a simulator and a proxy do. */
@ExtendWith(RedisExtension.class)
class SimulatorControlServerIT {
    private TrendingSimulator trending;
    private FaultProxy redis;
    private SimulatorControlServer control;

    @BeforeEach
    void start(EmbeddedRedis server) {
        trending = new TrendingSimulator(DemoCatalog.itemIds(100), Duration.ZERO).start(0);
        redis = FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", server.port()), 0);
        control = SimulatorControlServer.start("127.0.0.1", 0, Map.of("trending", trending, "redis", redis));
    }

    @AfterEach
    void stop() {
        control.close();
        trending.close();
        redis.close();
    }

    @Test
    void modeStatsAndResetDriveTheSimulator() throws Exception {
        HttpResponse<String> changed = SimHttp.post(control("/sim/trending/mode"), "{\"mode\":\"error\"}");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(SimHttp.json(changed).get("mode").asText()).isEqualTo("error");
        assertThat(SimHttp.get(URI.create(trending.endpoint() + "?surface=home")).statusCode()).isEqualTo(500);

        HttpResponse<String> stats = SimHttp.get(control("/sim/trending/stats"));
        assertThat(SimHttp.json(stats).get("requests").asLong()).isEqualTo(1);

        assertThat(SimHttp.post(control("/sim/trending/reset"), "").statusCode()).isEqualTo(200);
        assertThat(trending.mode()).isEqualTo(FaultMode.HEALTHY);
        assertThat(SimHttp.json(SimHttp.get(control("/sim/trending/stats"))).get("requests").asLong()).isZero();
        assertThat(SimHttp.get(URI.create(trending.endpoint() + "?surface=home")).statusCode()).isEqualTo(200);
    }

    @Test
    void slowTakesItsLatencyAndThrottleItsRetryAfter() throws Exception {
        SimHttp.post(control("/sim/trending/mode"), "{\"mode\":\"throttle\",\"retry_after_s\":7}");
        assertThat(SimHttp.get(URI.create(trending.endpoint() + "?surface=home")).headers().firstValue("Retry-After"))
                .contains("7");
        SimHttp.post(control("/sim/trending/mode"), "{\"mode\":\"slow\",\"latency_ms\":120}");
        long started = System.nanoTime();
        SimHttp.get(URI.create(trending.endpoint() + "?surface=home"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
    }

    @Test
    void theProxyIsDrivenTheSameWayButRefusesHttpOnlyModes() throws Exception {
        HttpResponse<String> down = SimHttp.post(control("/sim/redis/mode"), "{\"mode\":\"down\"}");
        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(redis.mode()).isEqualTo(FaultMode.DOWN);

        HttpResponse<String> throttle = SimHttp.post(control("/sim/redis/mode"), "{\"mode\":\"throttle\"}");
        assertThat(throttle.statusCode()).isEqualTo(422);
        assertThat(throttle.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(SimHttp.json(throttle).get("detail").asText()).startsWith("mode:");
    }

    @Test
    void badRequestsAreProblemsNamingTheField() throws Exception {
        assertProblem(SimHttp.post(control("/sim/trending/mode"), "{\"mode\":\"sideways\"}"), 400, "mode:");
        assertProblem(SimHttp.post(control("/sim/trending/mode"), "{\"mode\":\"slow\",\"latency_ms\":-5}"), 400, "latency_ms:");
        assertProblem(SimHttp.post(control("/sim/trending/mode"), "not json"), 400, "body:");
        assertProblem(SimHttp.post(control("/sim/nothing/mode"), "{\"mode\":\"hang\"}"), 404, "no simulator 'nothing'");
        assertProblem(SimHttp.get(control("/sim/trending/mode")), 405, "use POST");
    }

    @Test
    void listingShowsEveryTarget() throws Exception {
        var all = SimHttp.json(SimHttp.get(control("/sim")));
        assertThat(all.has("trending")).isTrue();
        assertThat(all.get("redis").get("mode").asText()).isEqualTo("healthy");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(SimHttp.json(response).get("detail").asText()).contains(detail);
    }

    private URI control(String path) {
        return URI.create("http://127.0.0.1:" + control.port() + path);
    }
}

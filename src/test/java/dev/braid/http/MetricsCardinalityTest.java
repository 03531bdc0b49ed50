package dev.braid.http;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.sim.TrendingSimulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The number of series on {@code /observe/metrics} does not grow with what requests carry: a second round of requests
 * with users, queries, item ids, request ids and paths never seen before adds no series, and no label value is one of
 * them.
 */
class MetricsCardinalityTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static TrendingSimulator trending;
    private static Braid braid;

    @BeforeAll
    static void start() {
        trending = new TrendingSimulator(DemoCatalog.itemIds(200), Duration.ofMillis(1)).start(0);
        braid = Main.start(TestConfigs.local(Map.of("sources.trending.url", trending.endpoint())));
    }

    @AfterAll
    static void stop() {
        braid.stop();
        trending.close();
    }

    @Test
    void seriesStayFlatWhateverUsersQueriesAndItemsRequestsName() throws Exception {
        round("first", 40);
        List<String> before = series();
        round("second", 40);
        List<String> after = series();

        assertThat(after).as("series after a second round of unseen users, queries and items").hasSameSizeAs(before)
                .containsExactlyInAnyOrderElementsOf(before);
        assertThat(String.join("\n", after)).doesNotContain("second-user", "second-query", "second-item",
                                                            "second-request", "second-path");
    }

    /** {@code n} requests of each endpoint, every one naming values of its own, some of them bad. */
    private static void round(String name, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            String user = name + "-user-" + i;
            get("/v1/recommendations?user=" + user + "&n=" + (1 + i % 20), name + "-request-" + i);
            get("/v1/search?q=" + URLEncoder.encode(name + "-query " + i, StandardCharsets.UTF_8) + "&user=" + user,
                name + "-request-s" + i);
            get("/v1/feed?user=" + user, name + "-request-f" + i);
            get("/v1/items/" + name + "-item-" + i, name + "-request-i" + i);
            get("/" + name + "-path/" + i, name + "-request-p" + i);
            get("/v1/recommendations?n=" + (200 + i), name + "-request-b" + i);
        }
    }

    /** The series lines (not comments), each without its value. */
    private static List<String> series() throws Exception {
        String metrics = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.adminPort()
                                                                        + "/observe/metrics")).build(),
                                     HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.substring(0, line.lastIndexOf(' '))).toList();
    }

    private static void get(String path, String requestId) throws Exception {
        CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.apiPort() + path))
                            .header("X-Request-Id", requestId).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
    }
}

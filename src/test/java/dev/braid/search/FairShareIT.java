package dev.braid.search;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Components;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.OpenSearchExtension;
import dev.braid.testing.RedisExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One greedy caller against everybody else, on a real OpenSearch: a flood of feed first pages opens no point in time per
 * walk (walks share them), a dozen connections of long searches get no more than their caller's share of the guard,
 * and throughout another caller's searches and feed walks stay at tier 1.
 */
@ExtendWith({OpenSearchExtension.class, RedisExtension.class})
class FairShareIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String ALIAS = "catalog-fair";
    private static final int FLOOD_CONNECTIONS = 12;

    private static URI openSearch;
    private static Braid braid;

    @BeforeAll
    static void start(EmbeddedOpenSearch engine, EmbeddedRedis redis) {
        openSearch = engine.uri();
        DemoCatalogLoader.load(engine.uri(), ALIAS, DemoCatalog.generate(2_000, 13));
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("opensearch.url", engine.uri().toString());
        overrides.put("catalog.index", ALIAS);
        overrides.put("redis.url", redis.uri());
        overrides.put("search.cursor-secret", "fair-share-secret-0123456789");
        // Generous time limits: this test is about shares, not speed; a slow CI machine must not look like unfairness.
        overrides.put("search.budget", "3s");
        overrides.put("search.guard.timeout", "2s");
        overrides.put("search.feed-guard.timeout", "2s");
        overrides.put("search.simplified-timeout", "500ms");
        braid = Main.start(TestConfigs.local(overrides));
    }

    @AfterAll
    static void stop() {
        braid.stop();
    }

    @Test
    void aFloodOfFeedFirstPagesOpensNoPointInTimePerWalk() throws Exception {
        int before = openPointsInTime();
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger floodPages = new AtomicInteger();
        List<String> bystanderTiers = new ArrayList<>();
        try (ExecutorService flood = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> floods = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                floods.add(flood.submit(() -> {
                    while (flooding.get() && floodPages.get() < 400) {
                        get("/v1/feed?user=flooder&size=5");
                        floodPages.incrementAndGet();
                    }
                    return null;
                }));
            }
            // Meanwhile another caller walks its feed, page after page.
            while (floodPages.get() < 400) {
                JsonNode page = get("/v1/feed?user=bystander&size=10");
                bystanderTiers.add(page.get("degraded").asText("full"));
                JsonNode next = get("/v1/feed?user=bystander&size=10&cursor=" + page.get("next_cursor").asText());
                bystanderTiers.add(next.get("degraded").asText("full"));
            }
            flooding.set(false);
            for (Future<?> future : floods) {
                future.get();
            }
        }
        assertThat(floodPages.get()).isGreaterThanOrEqualTo(400);
        assertThat(bystanderTiers).isNotEmpty().containsOnly("full");
        // Every walk of the last seconds shares one point in time (or two across a refresh).
        assertThat(openPointsInTime() - before).isBetween(0, 2);
        assertThat(braid.components().breakerStates()).containsEntry(Components.FEED_GUARD, "closed");
    }

    @Test
    void aDozenConnectionsOfLongSearchesGetOneCallersShare() throws Exception {
        double overShare = overCallerShare();
        String longQuery = URLEncoder.encode(String.join(" ", java.util.Collections.nCopies(4, "waterproof trail "
                                                                                               + "running shoes for "
                                                                                               + "rocky mountain days")),
                                             StandardCharsets.UTF_8);
        AtomicBoolean flooding = new AtomicBoolean(true);
        List<String> bystanderTiers = new ArrayList<>();
        try (ExecutorService flood = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> floods = new ArrayList<>();
            for (int i = 0; i < FLOOD_CONNECTIONS; i++) {
                floods.add(flood.submit(() -> {
                    while (flooding.get()) {
                        get("/v1/search?user=flooder&size=50&q=" + longQuery);
                    }
                    return null;
                }));
            }
            for (int i = 0; i < 60; i++) {
                JsonNode page = get("/v1/search?user=bystander&q=rain%20jacket&size=20");
                bystanderTiers.add(page.get("degraded").asText("full"));
            }
            flooding.set(false);
            for (Future<?> future : floods) {
                future.get();
            }
        }
        assertThat(bystanderTiers).containsOnly("full");
        assertThat(overCallerShare() - overShare).as("the flooder's calls beyond its share were refused").isPositive();
        assertThat(braid.components().breakerStates()).containsEntry(Components.SEARCH_GUARD, "closed");
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + braid.apiPort() + path)).timeout(Duration.ofSeconds(10)).build(),
                                                    HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int openPointsInTime() throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                openSearch.resolve("/_search/point_in_time/_all")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode pits = JSON.readTree(response.body()).get("pits");
        return pits == null ? 0 : pits.size();
    }

    private static double overCallerShare() throws Exception {
        String metrics = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.adminPort()
                                                                       + "/observe/metrics")).build(),
                                     HttpResponse.BodyHandlers.ofString()).body();
        var matcher = java.util.regex.Pattern.compile(
                "braid_guard_over_caller_share_total\\{guard=\"search\"[^}]*} ([0-9.]+)").matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}

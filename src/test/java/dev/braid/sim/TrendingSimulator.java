package dev.braid.sim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An internal trending service speaking Braid's microservice protocol:
 * {@code GET /v1/trending?surface=home&limit=50[&user=u1][&country=DE][&language=de]} →
 * {@code {"surface": "home", "items": [{"item_id": "i7", "score": 812.5}], "model_version": "trending-2026.11"}}.
 * Trending is not personal: the list depends on surface and country only (so it is the same for every user).
 */
public final class TrendingSimulator extends HttpSimulator {
    public static final String PATH = "/v1/trending";
    public static final String MODEL_VERSION = "trending-2026.11";

    private final List<String> catalog;

    public TrendingSimulator(List<String> catalog, Duration baseLatency) {
        super("trending", baseLatency);
        this.catalog = List.copyOf(catalog);
    }

    /** The endpoint Braid's {@code sources.trending.url} points at. */
    public String endpoint() {
        return baseUri() + PATH;
    }

    @Override
    protected SimulatedAnswer answer(RecordedRequest request) {
        if (!request.path().equals(PATH)) {
            return error(404, "no such endpoint " + request.path());
        }
        Map<String, String> query = query(request.query());
        String surface = query.getOrDefault("surface", "home");
        int limit;
        try {
            limit = Integer.parseInt(query.getOrDefault("limit", "50"));
        } catch (NumberFormatException e) {
            return error(400, "limit must be a number");
        }
        if (limit < 1 || limit > 500) {
            return error(400, "limit must be 1..500");
        }
        String country = query.getOrDefault("country", "any").toUpperCase(Locale.ROOT);
        StringBuilder items = new StringBuilder();
        for (DeterministicRanking.Ranked ranked : DeterministicRanking.rank("trending", country, surface, catalog, limit)) {
            if (!items.isEmpty()) {
                items.append(',');
            }
            double views = Math.round(ranked.relevance() * 100_000) / 100.0;
            items.append("{\"item_id\":\"").append(ranked.itemId()).append("\",\"score\":").append(views).append('}');
        }
        return SimulatedAnswer.json(200, "{\"surface\":\"" + surface + "\",\"items\":[" + items + "],\"model_version\":\""
                                         + MODEL_VERSION + "\"}");
    }

    @Override
    protected SimulatedAnswer serverError() {
        return error(500, "trending store unavailable");
    }

    @Override
    protected SimulatedAnswer throttled() {
        return error(429, "rate limit exceeded");
    }

    private static SimulatedAnswer error(int status, String message) {
        return SimulatedAnswer.json(status, "{\"error\":\"" + message + "\"}");
    }

    static Map<String, String> query(String raw) {
        Map<String, String> parameters = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.putIfAbsent(key, value);
        }
        return parameters;
    }
}

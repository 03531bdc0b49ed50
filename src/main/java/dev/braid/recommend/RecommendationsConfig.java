package dev.braid.recommend;

import java.time.Duration;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * Settings of the recommendation endpoint that hold for every surface.
 *
 * @param defaultSurface the surface used when a request names none
 * @param reserve        time kept back from every deadline for hydration, blending and serialization: sources must
 *                       finish this much before the request's end
 */
public record RecommendationsConfig(String defaultSurface, Duration reserve) {

    public RecommendationsConfig {
        Rule.notBlank("default-surface", defaultSurface);
        Rule.check(reserve != null && !reserve.isNegative(), "reserve", "must not be negative");
    }

    public static RecommendationsConfig create(Settings node) {
        return node.bind(() -> new RecommendationsConfig(node.string("default-surface", "home"),
                                                         node.duration("reserve", Duration.ofMillis(30))));
    }
}

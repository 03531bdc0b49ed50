package dev.braid.recommend;

import java.time.Duration;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * @param size    how many of the most popular in-stock items to keep
 * @param refresh how often to reload them from the catalog
 * @param timeout the longest one reload may take; it runs in the background, off every request's path
 */
public record PopularItemsConfig(int size, Duration refresh, Duration timeout) {

    public PopularItemsConfig {
        Rule.atLeast("size", size, 1);
        Rule.positive("refresh", refresh);
        Rule.positive("timeout", timeout);
    }

    public static PopularItemsConfig create(Settings node) {
        return node.bind(() -> new PopularItemsConfig(node.integer("size", 500), node.duration("refresh", Duration.ofMinutes(1)),
                                                      node.duration("timeout", Duration.ofSeconds(2))));
    }
}

package dev.braid.catalog;

import java.time.Duration;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * @param index   the alias (or index) holding the catalog; the service only ever reads through an alias
 * @param timeout the longest one lookup may take; hydration never runs past the request's deadline either
 */
public record CatalogConfig(String index, Duration timeout) {

    public CatalogConfig {
        Rule.notBlank("index", index);
        Rule.positive("timeout", timeout);
    }

    public static CatalogConfig create(Settings node) {
        return node.bind(() -> new CatalogConfig(node.string("index", "catalog"),
                                                 node.duration("timeout", Duration.ofMillis(30))));
    }
}

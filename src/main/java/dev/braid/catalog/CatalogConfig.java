package dev.braid.catalog;

import java.time.Duration;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * @param index   the alias (or index) holding the catalog; the service only ever reads through an alias
 * @param timeout the longest one lookup may take; hydration never runs past the request's deadline either
 * @param routing the routing key every catalog request carries, when the index is shared and its documents are routed
 *                by it (e.g. a tenant); empty for none
 */
public record CatalogConfig(String index, Duration timeout, String routing) {

    public CatalogConfig {
        Rule.notBlank("index", index);
        Rule.positive("timeout", timeout);
        routing = routing == null ? "" : routing.strip();
    }

    public static CatalogConfig create(Settings node) {
        return node.bind(() -> new CatalogConfig(node.string("index", "catalog"),
                                                 node.duration("timeout", Duration.ofMillis(60)),
                                                 node.string("routing", "")));
    }

    /** The routing key, or {@code null} (what the OpenSearch client takes for none). */
    public String routingOrNull() {
        return routing.isEmpty() ? null : routing;
    }
}

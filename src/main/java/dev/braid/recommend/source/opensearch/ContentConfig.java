package dev.braid.recommend.source.opensearch;

import java.time.Duration;

import dev.braid.config.Rule;
import dev.braid.config.Settings;
import dev.braid.recommend.SourceConfig;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceKind;

/**
 * The content-based source ({@code kind: opensearch}) on the shared OpenSearch client. The {@code kind} key itself is
 * read by the composition root, which picks this record by it.
 *
 * @param index   the catalog alias to search
 * @param history how many of the user's most recent items the candidates should resemble
 * @param timeout the longest one search may take; never beyond the request's deadline either
 */
public record ContentConfig(SourceId id, String index, int history, Duration timeout) implements SourceConfig {

    public ContentConfig {
        Rule.notBlank("index", index);
        Rule.atLeast("history", history, 1);
        Rule.positive("timeout", timeout);
    }

    @Override
    public SourceKind<ContentConfig> kind() {
        return ContentKind.KIND;
    }

    public static ContentConfig create(SourceId id, Settings node) {
        return node.bind(() -> new ContentConfig(id, node.string("index", "catalog"), node.integer("history", 10),
                                                 node.duration("timeout", ContentKind.DEFAULT_TIMEOUT)));
    }

    /** It models the user (their history), so it runs for signed-in users only unless a plan says otherwise. */
    @Override
    public boolean perUser() {
        return true;
    }
}

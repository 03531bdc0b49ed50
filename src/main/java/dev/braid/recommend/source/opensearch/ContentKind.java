package dev.braid.recommend.source.opensearch;

import java.time.Duration;

import dev.braid.config.Settings;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.Explanation;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceKind;
import dev.braid.recommend.SourceWiring;

import org.opensearch.client.opensearch.OpenSearchClient;

/** Content-based candidates from the catalog index: items like the ones the user recently interacted with. */
public final class ContentKind implements SourceKind<ContentConfig> {
    public static final ContentKind KIND = new ContentKind();
    static final String NAME = "opensearch";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);

    private ContentKind() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration defaultTimeout() {
        return DEFAULT_TIMEOUT;
    }

    @Override
    public Explanation explanation() {
        return Explanation.SIMILAR;
    }

    @Override
    public Class<ContentConfig> configType() {
        return ContentConfig.class;
    }

    @Override
    public ContentConfig read(SourceId id, Settings node) {
        return ContentConfig.create(id, node);
    }

    @Override
    public CandidateSource create(ContentConfig config, SourceWiring wiring) {
        return new ContentCandidateSource(config, wiring.client(OpenSearchClient.class), wiring.history());
    }
}

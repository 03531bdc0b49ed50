package dev.braid.recommend.source.databricks;

import java.time.Duration;

import dev.braid.config.Settings;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.Explanation;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceKind;
import dev.braid.recommend.SourceWiring;

/** A Databricks Model Serving endpoint whose model ranks items for a user. */
public final class DatabricksKind implements SourceKind<DatabricksConfig> {
    public static final DatabricksKind KIND = new DatabricksKind();
    static final String NAME = "databricks";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(300);
    /** How long start-up waits for a service principal's first token before going on without it. */
    static final Duration FIRST_TOKEN_WAIT = Duration.ofSeconds(5);

    private DatabricksKind() {
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
        return Explanation.FOR_YOU;
    }

    @Override
    public Class<DatabricksConfig> configType() {
        return DatabricksConfig.class;
    }

    @Override
    public DatabricksConfig read(SourceId id, Settings node) {
        return DatabricksConfig.create(id, node);
    }

    @Override
    public CandidateSource create(DatabricksConfig config, SourceWiring wiring) {
        DatabricksCandidateSource source = new DatabricksCandidateSource(config);
        try {
            source.checkCredentials(FIRST_TOKEN_WAIT);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        return source;
    }
}

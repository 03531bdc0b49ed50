package dev.braid.recommend.source.microservice;

import java.time.Duration;

import dev.braid.config.Settings;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.Explanation;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceKind;
import dev.braid.recommend.SourceWiring;

/** An internal HTTP candidate service speaking Braid's plain JSON protocol (trending, editorial, ...). */
public final class MicroserviceKind implements SourceKind<MicroserviceConfig> {
    public static final MicroserviceKind KIND = new MicroserviceKind();
    static final String NAME = "microservice";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);

    private MicroserviceKind() {
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
        return Explanation.POPULAR;
    }

    @Override
    public Class<MicroserviceConfig> configType() {
        return MicroserviceConfig.class;
    }

    @Override
    public MicroserviceConfig read(SourceId id, Settings node) {
        return MicroserviceConfig.create(id, node);
    }

    @Override
    public CandidateSource create(MicroserviceConfig config, SourceWiring wiring) {
        return new MicroserviceCandidateSource(config);
    }
}

package dev.braid.recommend.source.personalize;

import java.time.Duration;

import dev.braid.config.Settings;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.Explanation;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceKind;
import dev.braid.recommend.SourceWiring;

/** An AWS Personalize campaign or recommender, through the AWS SDK; with a ranking campaign it also re-ranks. */
public final class PersonalizeKind implements SourceKind<PersonalizeConfig> {
    public static final PersonalizeKind KIND = new PersonalizeKind();
    static final String NAME = "personalize";
    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);

    private PersonalizeKind() {
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
    public Class<PersonalizeConfig> configType() {
        return PersonalizeConfig.class;
    }

    @Override
    public PersonalizeConfig read(SourceId id, Settings node) {
        return PersonalizeConfig.create(id, node);
    }

    @Override
    public CandidateSource create(PersonalizeConfig config, SourceWiring wiring) {
        return new PersonalizeCandidateSource(config);
    }
}

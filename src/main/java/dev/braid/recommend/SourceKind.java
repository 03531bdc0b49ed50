package dev.braid.recommend;

import java.time.Duration;

import dev.braid.config.Settings;

/**
 * A kind of downstream ({@code sources.<id>.kind}): everything Braid knows of it in one place, declared once in the
 * kind's own package. Adding a kind is a new package with its source, config record and kind, plus one line in the
 * composition root's list of kinds.
 *
 * @param <C> the kind's own config record
 */
public interface SourceKind<C extends SourceConfig> {

    /** Its name in configuration, e.g. {@code personalize}. */
    String name();

    /** A call's time limit when the source sets no {@code timeout}. */
    Duration defaultTimeout();

    /** How its candidates are explained when the source sets no {@code explain}. */
    Explanation explanation();

    /** The record {@link #read} makes. */
    Class<C> configType();

    /**
     * Reads the kind's own settings from the source's node; the keys every kind shares (guard, traits) have been read
     * already, and the record rejects whatever neither read.
     */
    C read(SourceId id, Settings node);

    /** The source's client; made once per instance and closed with it. */
    CandidateSource create(C config, SourceWiring wiring);

    /** {@link #create} for a config this kind read. */
    default CandidateSource createFor(SourceConfig config, SourceWiring wiring) {
        return create(configType().cast(config), wiring);
    }
}

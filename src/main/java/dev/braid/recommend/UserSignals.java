package dev.braid.recommend;

/**
 * What is known about a signed-in user before the fan-out: decides the cold-start tier and the business rules (the
 * purchase filter). One round trip to the store per request; never fails, never blocks past the store's own timeout.
 */
public interface UserSignals {

    /**
     * The signals of {@code user}; {@link Signals#unknown()} when the store cannot answer, and for an anonymous visitor
     * ({@code null}), who has no signals to read.
     */
    Signals of(String user);

    /** Unknown for everyone: for deployments without Redis and for tests. */
    static UserSignals none() {
        return user -> Signals.unknown();
    }
}

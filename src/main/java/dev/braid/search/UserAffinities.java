package dev.braid.search;

/** Where a user's affinities are kept (Redis, fed by the events endpoint). */
@FunctionalInterface
public interface UserAffinities {
    /** The user's strongest affinities; {@link Affinities#none()} when there are none or the store cannot answer. */
    Affinities of(String user);

    static UserAffinities none() {
        return user -> Affinities.none();
    }
}

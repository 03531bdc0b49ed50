package dev.braid.cache;

/**
 * News of users' generations changing anywhere in the fleet, pushed as they change, so that a replica can keep the
 * generations it has read in memory in between: a cache hit then costs no round trip to learn it is still current.
 */
public interface GenerationPush extends AutoCloseable {

    /** What a replica hears. Called on the push's own threads; must not block. */
    interface Listener {
        /** {@code user}'s generation moved: what this replica remembers of it is out of date. */
        void changed(String user);

        /** Pushes may have been missed (a lost connection, a topology change, a flush): forget everything. */
        void lost();

        /** Pushes flow again from now on: what is read from here on may be kept. */
        void live();
    }

    /** Starts listening in the background; {@link Listener#live()} comes once pushes flow. */
    void start(Listener listener);

    @Override
    void close();

    /** No pushes at all: every generation is read from the shared tier. */
    static GenerationPush none() {
        return new GenerationPush() {
            @Override
            public void start(Listener listener) {
            }

            @Override
            public void close() {
            }
        };
    }
}

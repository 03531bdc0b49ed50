package dev.braid.recommend.source.databricks;

import dev.braid.resilience.Deadline;

/** Where the bearer token of each Model Serving call comes from. */
sealed interface Bearer extends AutoCloseable permits Bearer.Fixed, ServicePrincipalTokens {

    /**
     * The token to send now; waits (within {@code deadline}) only when there is none that is still good.
     *
     * @throws dev.braid.recommend.SourceException when no token could be had in time
     */
    String token(Deadline deadline);

    /**
     * The workspace answered 401 to {@code token}: whether asking again may help (a fetched token is dropped, and the
     * next call fetches a new one; a fixed token stays as refused as it was).
     */
    boolean refused(String token);

    @Override
    void close();

    /** A personal access token: the same for every call, for as long as the workspace accepts it. */
    record Fixed(String value) implements Bearer {
        @Override
        public String token(Deadline deadline) {
            return value;
        }

        @Override
        public boolean refused(String token) {
            return false;
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return "Fixed[***]";
        }
    }
}

package dev.braid.jobs;

import java.time.Duration;

/**
 * Leases of singleton jobs in a store every replica shares. Only the owner of a lease can renew or release it.
 */
public interface Leases {

    /**
     * Takes the lease of {@code job} for {@code owner} if nobody holds it (or {@code owner} already does).
     *
     * @return the grant, or the current holder and how long its lease has left
     * @throws LeaseUnavailableException when the store cannot answer
     */
    Attempt acquire(String job, String owner, Duration ttl);

    /**
     * Extends the lease by {@code ttl} if {@code grant}'s owner still holds it.
     *
     * @return whether it did: {@code false} means the lease expired and someone else may hold it now
     * @throws LeaseUnavailableException when the store cannot answer
     */
    boolean renew(Grant grant, Duration ttl);

    /** Gives the lease up if {@code grant}'s owner holds it; never anyone else's. Best effort. */
    void release(Grant grant);

    /**
     * One lease held.
     *
     * @param job      the job
     * @param owner    this replica's token for the job
     * @param fence    the fencing token: larger for every later grant of the job (the store's counter)
     * @param previous who was granted the job before ({@code ""} for nobody): a grant after another owner is a takeover
     */
    record Grant(String job, String owner, long fence, String previous) {
        public boolean takeover() {
            return !previous.isEmpty() && !previous.equals(owner);
        }
    }

    /** What {@link #acquire} found. */
    sealed interface Attempt {
    }

    record Granted(Grant grant) implements Attempt {
    }

    /** Someone else holds the lease for {@code remaining} more. */
    record Held(String holder, Duration remaining) implements Attempt {
    }

    final class LeaseUnavailableException extends RuntimeException {
        public LeaseUnavailableException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}

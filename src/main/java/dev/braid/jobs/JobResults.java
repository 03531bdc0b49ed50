package dev.braid.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The results singleton jobs publish for every replica to read, written under fencing tokens: a write whose token is
 * older than the last one accepted for the job is refused, so a holder that paused past its lease cannot overwrite what
 * its successor wrote.
 */
public interface JobResults {

    /**
     * Publishes {@code value} as {@code job}'s latest result, kept for {@code keep}, if {@code fence} is not older than
     * the last token accepted for the job.
     *
     * @return {@code false} when refused: a newer holder has written
     * @throws Leases.LeaseUnavailableException when the store cannot answer
     */
    boolean publish(String job, long fence, String value, Duration keep);

    /**
     * The latest result of {@code job}, if any is kept.
     *
     * @throws Leases.LeaseUnavailableException when the store cannot answer
     */
    Optional<Published> latest(String job);

    /** A published result: its value, when the store took it, under which token. */
    record Published(String value, Instant at, long fence) {
    }
}

package dev.braid.jobs;

import java.time.Duration;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * @param leaseTtl how long a job's lease lives without renewal: a holder that dies (or pauses) loses it after this,
 *                 and another replica takes the job over. The holder renews it every third of it; it must be 2-3 times
 *                 the longest run of a job, so that a run in progress never outlives its lease.
 */
public record JobsConfig(Duration leaseTtl) {
    public static final JobsConfig DEFAULT = new JobsConfig(Duration.ofSeconds(6));

    public JobsConfig {
        Rule.check(leaseTtl != null && leaseTtl.toMillis() >= 300, "lease-ttl", "must be at least 300ms (was "
                                                                                + Settings.format(leaseTtl) + ")");
    }

    public static JobsConfig create(Settings node) {
        return node.bind(() -> new JobsConfig(node.duration("lease-ttl", DEFAULT.leaseTtl())));
    }
}

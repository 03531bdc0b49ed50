package dev.braid.experiments;

import java.time.Duration;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * How exposures (one per recommendation answered) are logged: {@code experiments.exposures} in application.yaml.
 *
 * @param stream    the Redis stream they are appended to
 * @param maxLength entries the stream keeps, approximately ({@code XADD MAXLEN ~}): the oldest are trimmed
 * @param queue     exposures waiting to be written; when full, new ones are dropped (and counted), never waited for
 * @param batch     the most exposures written in one round trip
 * @param timeout   how long one batch's round trip may take: the writer is off the request's path and can wait for a
 *                  busy Redis, rather than lose the batch at the request path's short timeout
 */
public record ExposureConfig(String stream, long maxLength, int queue, int batch, Duration timeout) {
    public static final String DEFAULT_STREAM = "exposures";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    public ExposureConfig {
        Rule.notBlank("stream", stream);
        Rule.check(maxLength >= 1_000, "max-length", "must be at least 1000: trimming with ~ works on whole nodes of "
                   + "about 100 entries (was " + maxLength + ")");
        Rule.atLeast("queue", queue, 1);
        Rule.check(batch >= 1 && batch <= 10_000, "batch", "must be 1..10000 (was " + batch + ")");
        Rule.positive("timeout", timeout);
    }

    /** With the default timeout. */
    public ExposureConfig(String stream, long maxLength, int queue, int batch) {
        this(stream, maxLength, queue, batch, DEFAULT_TIMEOUT);
    }

    public static ExposureConfig defaults() {
        return new ExposureConfig(DEFAULT_STREAM, 100_000, 50_000, 1_000, DEFAULT_TIMEOUT);
    }

    public static ExposureConfig create(Settings node) {
        ExposureConfig defaults = defaults();
        return node.bind(() -> new ExposureConfig(node.string("stream", defaults.stream()).trim(),
                                                  node.integer("max-length", (int) defaults.maxLength()),
                                                  node.integer("queue", defaults.queue()),
                                                  node.integer("batch", defaults.batch()),
                                                  node.duration("timeout", defaults.timeout())));
    }
}

package dev.braid.recommend;

import java.time.Duration;

/** What the envelope says about one source: how it ended, how long it took, how many candidates it gave. */
public record SourceReport(SourceId source, SourceStatus status, Duration latency, int count) {
}

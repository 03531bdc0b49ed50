package dev.braid.recommend.fanout;

import java.time.Duration;

import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;

/** How one source's part of a fan-out ended. Switch over it exhaustively: a new case must break the build. */
public sealed interface SourceOutcome {

    SourceId source();

    SourceStatus status();

    Duration took();

    /** The source answered in time. */
    record Fetched(SourceId source, CandidateBatch batch, Duration took) implements SourceOutcome {
        @Override
        public SourceStatus status() {
            return SourceStatus.OK;
        }
    }

    /** The source did not answer usefully: timed out, failed, was refused by its guard. */
    record Failed(SourceId source, SourceStatus status, Duration took, String detail) implements SourceOutcome {
        public Failed {
            if (status == SourceStatus.OK || status == SourceStatus.SKIPPED) {
                throw new IllegalArgumentException("a failure cannot have status " + status);
            }
        }
    }

    /** The source was not called for this request. */
    record Skipped(SourceId source, String reason) implements SourceOutcome {
        @Override
        public SourceStatus status() {
            return SourceStatus.SKIPPED;
        }

        @Override
        public Duration took() {
            return Duration.ZERO;
        }
    }
}

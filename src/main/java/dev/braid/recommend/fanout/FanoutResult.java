package dev.braid.recommend.fanout;

import java.util.List;

/**
 * Every source's outcome, in the order the sources were given.
 *
 * @param deadlineHit whether the deadline ended the fan-out (some sources were cancelled)
 */
public record FanoutResult(List<SourceOutcome> outcomes, boolean deadlineHit) {

    public FanoutResult {
        outcomes = List.copyOf(outcomes);
    }
}

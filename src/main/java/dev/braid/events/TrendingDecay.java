package dev.braid.events;

import java.time.Duration;
import java.time.Instant;

/**
 * Forward decay for the trending scores: an event at time {@code ts} adds {@code w · exp((ts − T0)/τ)} to its item's
 * score, where {@code T0} is a fixed instant. Dividing every score by {@code exp((now − T0)/τ)} would give the usual
 * exponentially decayed sum (each event weighted {@code w · exp(−(now − ts)/τ)}); since that factor is the same for every
 * item, the order of the raw scores already is the order by decayed popularity. So newer events simply weigh more, and
 * nothing ever rewrites the old entries to age them: one {@code ZINCRBY} per item and batch, from any replica, in any
 * order, and the sorted set is always ranked by decayed score.
 *
 * <p>The price is that the raw scores grow by a factor {@code e} per {@code τ}, and a double spans only about
 * {@code e^±709}. {@code T0} therefore sits in the middle of the years the scale is meant to serve, not at their start:
 * today's events weigh about {@code e^-400} (a normal double, no precision lost: only ratios matter), and the scale lasts
 * until {@link #HORIZON}, 650·τ after {@code T0} (October 2029). Before then it must be rebased: multiply every score by
 * {@code exp(−Δ/τ)} ({@code ZUNIONSTORE key 1 key WEIGHTS f}) and move {@code T0} by {@code Δ} in the same release.
 * Contributions past the horizon are dropped (and logged) rather than written as infinity, which would break the order.
 */
public final class TrendingDecay {
    /** {@code T0}: fixed, shared by every replica, so that their contributions are on one scale. */
    public static final Instant EPOCH = Instant.parse("2028-01-01T00:00:00Z");
    /** {@code τ}: an event's weight falls to 1/e after a day (half-life about 16.6 hours). */
    public static final Duration TAU = Duration.ofHours(24);
    /** {@code e^650} leaves a factor of about 10^26 below {@link Double#MAX_VALUE} for the sum of an item's events. */
    static final double MAX_EXPONENT = 650;
    /** The last instant whose events still fit the scale. */
    public static final Instant HORIZON = EPOCH.plusSeconds((long) (MAX_EXPONENT * TAU.toSeconds()));

    private TrendingDecay() {
    }

    /** What an event of weight {@code weight} at {@code ts} adds to its item's score; 0 past {@link #HORIZON}. */
    public static double score(double weight, Instant ts) {
        double exponent = seconds(ts) / TAU.toSeconds();
        if (exponent > MAX_EXPONENT) {
            return 0;
        }
        return weight * Math.exp(exponent);
    }

    private static double seconds(Instant ts) {
        return (ts.getEpochSecond() - EPOCH.getEpochSecond()) + ts.getNano() / 1e9;
    }
}

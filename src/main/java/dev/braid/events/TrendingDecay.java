package dev.braid.events;

import java.time.Duration;
import java.time.Instant;

/**
 * Forward decay for the trending scores: an event of weight {@code w} at time {@code ts} adds
 * {@code w · exp((ts − T0)/τ − B)} to its item's score, where {@code T0} is a fixed instant and {@code B} the scale's
 * base, kept in the store next to the scores. Dividing every score by {@code exp((now − T0)/τ − B)} would give the usual
 * exponentially decayed sum (each event weighted {@code w · exp(−(now − ts)/τ)}); since that factor is the same for
 * every item, the order of the raw scores already is the order by decayed popularity. So newer events simply weigh
 * more, and nothing rewrites the old entries to age them: one {@code ZINCRBY} per item and batch, from any replica, in
 * any order, and the sorted set is always ranked by decayed score.
 *
 * <p>The raw scores grow by a factor {@code e} per {@code τ}, and a double spans only about {@code e^±709}. So the
 * scale is <em>rebased</em> on a schedule (a singleton job): every score is multiplied by {@code exp(−Δ)} and {@code B}
 * moves by {@code Δ}, in one atomic step in the store, the same step in which batches read {@code B}. A batch therefore
 * never mixes two scales. Events carry their contribution as a logarithm ({@link #logScore}), which no instant can
 * overflow; the store computes {@code exp(logScore − B)}, and drops a contribution whose exponent exceeds
 * {@link #MAX_EXPONENT} (the rebase is long overdue) rather than writing infinity, which would break the order.
 */
public final class TrendingDecay {
    /** {@code T0}: fixed, shared by every replica, so that their contributions are on one scale. */
    public static final Instant EPOCH = Instant.parse("2028-01-01T00:00:00Z");
    /** {@code τ}: an event's weight falls to 1/e after a day (half-life about 16.6 hours). */
    public static final Duration TAU = Duration.ofHours(24);
    /**
     * The largest exponent above the base a contribution may have: {@code e^650} leaves a factor of about 10^26 below
     * {@link Double#MAX_VALUE} for the sum of an item's events. Without any rebase that is 650 days of events.
     */
    public static final double MAX_EXPONENT = 650;

    private TrendingDecay() {
    }

    /**
     * The logarithm of what an event of weight {@code weight} at {@code ts} adds before the base is taken off:
     * {@code ln(weight) + (ts − T0)/τ}; {@code -∞} for a weight of 0 (it adds nothing).
     */
    public static double logScore(double weight, Instant ts) {
        return Math.log(weight) + exponent(ts);
    }

    /**
     * {@code (ts − T0)/τ}: the base a rebase at {@code ts} moves the scale to, so that an event of that instant adds
     * exactly its weight, and older ones less.
     */
    public static double exponent(Instant ts) {
        double seconds = (ts.getEpochSecond() - EPOCH.getEpochSecond()) + ts.getNano() / 1e9;
        return seconds / TAU.toSeconds();
    }

    /** {@code ln(exp(a) + exp(b))}, exact however large or small the exponents are. */
    public static double logSum(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double high = Math.max(a, b);
        return high + Math.log1p(Math.exp(Math.min(a, b) - high));
    }
}

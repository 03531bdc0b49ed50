package dev.braid.recommend.pipeline;

import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.Signals;

/**
 * How much is known about whom a list is for, which decides what the list is made of. Only {@link #PERSONAL} runs the
 * per-user models; the others are {@code degraded: cold_start}.
 */
public enum ColdStartTier {
    /** No user: the segment's popular list (country, language, surface), the same for everyone in it. */
    ANONYMOUS,
    /** A signed-in user without history: trending, editorial and popular, in the categories of any signal there is. */
    NEW_USER,
    /** A user with history, or one whose signals could not be read (never treated as new by mistake): the full plan. */
    PERSONAL;

    public static ColdStartTier of(RecommendationRequest request, Signals signals) {
        if (request.anonymous()) {
            return ANONYMOUS;
        }
        return signals.cold() ? NEW_USER : PERSONAL;
    }

    /** Whether per-user models run for this tier. */
    public boolean personal() {
        return this == PERSONAL;
    }
}

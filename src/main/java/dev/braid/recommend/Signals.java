package dev.braid.recommend;

import java.util.List;
import java.util.Set;

/**
 * What is known about one signed-in user, read once per request before the fan-out.
 *
 * @param recentItems   distinct items the user interacted with, newest first
 * @param topCategories the categories of the user's strongest affinities, strongest first
 * @param purchased     items the user bought: never recommended to them again
 * @param known         whether the store answered; {@code false}: nothing is known, which is not the same as a new user
 *                      (the caller must not treat the user as new, nor drop the purchase filter's effect silently)
 */
public record Signals(List<String> recentItems, List<String> topCategories, Set<String> purchased, boolean known) {
    private static final Signals UNKNOWN = new Signals(List.of(), List.of(), Set.of(), false);

    public Signals {
        recentItems = List.copyOf(recentItems);
        topCategories = List.copyOf(topCategories);
        purchased = Set.copyOf(purchased);
        if (!known && !(recentItems.isEmpty() && topCategories.isEmpty() && purchased.isEmpty())) {
            throw new IllegalArgumentException("unknown signals carry nothing");
        }
    }

    /**
     * A user without history: nothing viewed, nothing bought. Affinities alone do not make a history (they outlive it,
     * or come from elsewhere); they choose which popular items such a user sees. Only when the store answered: unknown
     * signals are never cold.
     */
    public boolean cold() {
        return known && recentItems.isEmpty() && purchased.isEmpty();
    }

    /** The store could not answer (down, timed out, its breaker open, or no store at all). */
    public static Signals unknown() {
        return UNKNOWN;
    }
}

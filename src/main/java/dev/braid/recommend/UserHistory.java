package dev.braid.recommend;

import java.util.List;

/**
 * What a user recently interacted with. An optimization, never a requirement: an implementation that cannot answer
 * returns an empty list instead of failing.
 */
public interface UserHistory {

    /** Up to {@code n} distinct item ids the user interacted with, newest first; empty when unknown or unavailable. */
    List<String> recentItems(String user, int n);

    /** No history for anyone: for deployments without Redis and for tests. */
    static UserHistory none() {
        return (user, n) -> List.of();
    }
}

package dev.braid.recommend;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One validated request for recommendations.
 *
 * @param user          the signed-in user, or {@code null} for an anonymous visitor
 * @param surface       where the list is shown (home, pdp, cart, ...)
 * @param n             how many items the caller wants
 * @param exclude       item ids the caller does not want
 * @param language      primary language from Accept-Language, or {@code null}
 * @param country       ISO 3166 alpha-2 country of the anonymous segment, or {@code null}
 * @param callerTimeout the budget the caller grants (X-Request-Timeout), or {@code null}
 */
public record RecommendationRequest(String user, String surface, int n, Set<String> exclude, String language, String country,
                                    Duration callerTimeout) {

    public RecommendationRequest {
        Objects.requireNonNull(surface, "surface");
        exclude = Set.copyOf(exclude);
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive");
        }
    }

    public boolean anonymous() {
        return user == null;
    }
}

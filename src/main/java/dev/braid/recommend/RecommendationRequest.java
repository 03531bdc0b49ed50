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
 * @param cursor        the cursor of the page to continue with, or {@code null} for the first page
 * @param anonymousId   an anonymous visitor's stable id (X-Anonymous-Id), which places them in experiments, or
 *                      {@code null}
 */
public record RecommendationRequest(String user, String surface, int n, Set<String> exclude, String language, String country,
                                    Duration callerTimeout, String cursor, String anonymousId) {

    public RecommendationRequest {
        Objects.requireNonNull(surface, "surface");
        exclude = Set.copyOf(exclude);
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive");
        }
    }

    public RecommendationRequest(String user, String surface, int n, Set<String> exclude, String language, String country,
                                 Duration callerTimeout) {
        this(user, surface, n, exclude, language, country, callerTimeout, null, null);
    }

    public boolean anonymous() {
        return user == null;
    }

    /** Who experiments assign: the user, else the anonymous visitor's id, else nobody ({@code null}). */
    public String experimentUnit() {
        return user != null ? user : anonymousId;
    }

    /** The same request for a list of {@code n} items from its start, with nothing excluded: what a cached list is made for. */
    public RecommendationRequest shareable(int n) {
        return new RecommendationRequest(user, surface, n, Set.of(), language, country, callerTimeout, null, anonymousId);
    }
}

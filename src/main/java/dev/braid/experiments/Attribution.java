package dev.braid.experiments;

/**
 * The hook through which accepted events reach the experiments: a conversion (click, add to cart, purchase) on an item of
 * a recommendation is attributed to the variant its id names. Called once per event of an accepted batch; it must not
 * throw, and must not block on anything remote.
 */
@FunctionalInterface
public interface Attribution {

    /**
     * @param recommendationId the event's {@code recommendation_id}, as the client sent it (possibly forged)
     * @param eventType        the event's type, as in the API ({@code add_to_cart})
     * @param itemId           the event's item: credited only if the recommendation showed it
     * @param user             the event's user: credited only if the recommendation was served to them
     */
    void converted(String recommendationId, String eventType, String itemId, String user);

    /** No experiments: nothing to attribute. */
    static Attribution none() {
        return (recommendationId, eventType, itemId, user) -> {
        };
    }
}

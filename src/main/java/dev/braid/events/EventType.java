package dev.braid.events;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a user did with an item. Each type says whether it should change the user's recommendations (and so bumps the
 * user's cache generation), how much it says about the user's taste (affinity) and how much about the item's
 * popularity right now (trending).
 */
public enum EventType {
    IMPRESSION(false, 0, 0.1),
    CLICK(true, 1, 1),
    ADD_TO_CART(true, 3, 3),
    PURCHASE(true, 5, 5),
    /** Its affinity weight comes from the rating: {@code value - 2.5}, so only ratings above the middle count. */
    RATING(true, Double.NaN, 1);

    /** The middle of the 0..5 rating scale: ratings above it attract, ratings at or below it do not. */
    static final double RATING_MIDDLE = 2.5;

    private final boolean changesRecommendations;
    private final double affinityWeight;
    private final double trendingWeight;
    // Made once: every event names its type.
    private final String wireName = name().toLowerCase(Locale.ROOT);

    EventType(boolean changesRecommendations, double affinityWeight, double trendingWeight) {
        this.changesRecommendations = changesRecommendations;
        this.affinityWeight = affinityWeight;
        this.trendingWeight = trendingWeight;
    }

    /** The name in the API: {@code add_to_cart}. */
    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> parse(String wireName) {
        return Arrays.stream(values()).filter(type -> type.wireName().equals(wireName)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).toList();
    }

    /**
     * Whether an event of this type, naming the recommendation its item was shown in, converts that recommendation: what
     * experiments count per variant.
     */
    public boolean conversion() {
        return switch (this) {
            case CLICK, ADD_TO_CART, PURCHASE -> true;
            case IMPRESSION, RATING -> false;
        };
    }

    /** The wire names of the {@link #conversion()} types. */
    public static List<String> conversionNames() {
        return Arrays.stream(values()).filter(EventType::conversion).map(EventType::wireName).toList();
    }

    /** Whether an event of this type makes the user's cached recommendations stale. */
    public boolean changesRecommendations() {
        return changesRecommendations;
    }

    /**
     * Whether an event of this type goes into the user's history (what the content source and the cold-start tier read):
     * what the user did on purpose. The same types as {@link #changesRecommendations()}, and necessarily so: the history
     * shapes the user's recommendations, so whatever enters it must make the cached ones stale.
     */
    public boolean entersHistory() {
        return changesRecommendations;
    }

    /** What one event adds to the user's affinity for the item's category and brand; 0 or less adds nothing. */
    public double affinityWeight(Double value) {
        if (this == RATING) {
            return value == null ? 0 : value - RATING_MIDDLE;
        }
        return affinityWeight;
    }

    /** What one event adds to the item's trending score, before the time decay. */
    public double trendingWeight() {
        return trendingWeight;
    }
}

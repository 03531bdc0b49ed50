package dev.braid.experiments;

import java.util.Collection;
import java.util.Set;

import dev.braid.observe.BraidMeters;

/**
 * Counts conversions per experiment, variant and event type ({@code braid.experiment.conversions}), from the
 * recommendation id alone: only an id this service issued, only for an item its answer showed, and only arms the
 * {@link Assigner} knows (a stale arm must not create metric series).
 */
public final class ConversionCounter implements Attribution {
    private final Assigner assigner;
    private final RecommendationIds ids;
    private final Set<String> types;
    private final BraidMeters meters;

    /**
     * @param conversionTypes the event types that count as conversions; their series are created up front for every arm
     */
    public ConversionCounter(Assigner assigner, RecommendationIds ids, Collection<String> conversionTypes,
                             BraidMeters meters) {
        this.assigner = assigner;
        this.ids = ids;
        this.types = Set.copyOf(conversionTypes);
        this.meters = meters;
        assigner.arms().forEach(arm -> meters.registerArm(arm.experiment(), arm.variant(), types));
    }

    @Override
    public void converted(String recommendationId, String eventType, String itemId) {
        if (!types.contains(eventType)) {
            return;
        }
        ids.read(recommendationId)
                .filter(issued -> itemId == null || issued.showed(itemId))
                .flatMap(RecommendationIds.Issued::arm)
                .filter(arm -> assigner.knows(arm.experiment(), arm.variant()))
                .ifPresent(arm -> meters.conversion(arm.experiment(), arm.variant(), eventType));
    }
}

package dev.braid.experiments;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;

import dev.braid.observe.BraidMeters;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Counts conversions per experiment, variant and event type ({@code braid.experiment.conversions}), from the
 * recommendation id alone: only an id this service issued, only by the user it was served to, only for an item its
 * answer showed, each item and type of an id once (a replayed event is not a second conversion), and only arms the
 * {@link Assigner} knows (a stale arm must not create metric series). Once is per replica: the ids credited lately are
 * remembered in memory, bounded.
 */
public final class ConversionCounter implements Attribution {
    /** About 20 MB of remembered conversions at most. */
    private static final int CREDITED = 100_000;

    private final Assigner assigner;
    private final RecommendationIds ids;
    private final Set<String> types;
    private final BraidMeters meters;
    /** The conversions credited lately, by id, item and type; a replay within a day is not counted again. */
    private final Cache<String, Boolean> credited = Caffeine.newBuilder().maximumSize(CREDITED)
            .expireAfterWrite(Duration.ofDays(1)).executor(Runnable::run).build();

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
    public void converted(String recommendationId, String eventType, String itemId, String user) {
        if (!types.contains(eventType) || itemId == null) {
            return;
        }
        ids.read(recommendationId)
                .filter(issued -> issued.servedTo(user) && issued.showed(itemId))
                .flatMap(RecommendationIds.Issued::arm)
                .filter(arm -> assigner.knows(arm.experiment(), arm.variant()))
                .filter(arm -> credited.asMap().putIfAbsent(recommendationId + '\n' + itemId + '\n' + eventType,
                                                            Boolean.TRUE) == null)
                .ifPresent(arm -> meters.conversion(arm.experiment(), arm.variant(), eventType));
    }
}

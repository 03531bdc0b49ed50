package dev.braid.experiments;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One answer as it was shown: what an analysis joins conversions with. One per response, in or out of an experiment.
 *
 * @param recommendationId the response's {@code recommendation_id}
 * @param user             the user, or the anonymous visitor's id; {@code null} when neither is known
 * @param surface          the surface answered
 * @param experiment       the experiment it was served in, or {@code null}
 * @param variant          its variant, or {@code null}
 * @param itemIds          the items served, in order
 * @param modelVersions    source → the model version that answered (the response's {@code model_versions})
 * @param at               when it was served
 */
public record Exposure(String recommendationId, String user, String surface, String experiment, String variant,
                       List<String> itemIds, Map<String, String> modelVersions, Instant at) {
    public Exposure {
        Objects.requireNonNull(recommendationId, "recommendationId");
        Objects.requireNonNull(surface, "surface");
        Objects.requireNonNull(at, "at");
        if ((experiment == null) != (variant == null)) {
            throw new IllegalArgumentException("experiment and variant are both set or both null (were " + experiment
                                               + ", " + variant + ")");
        }
        itemIds = List.copyOf(itemIds);
        modelVersions = Map.copyOf(modelVersions);
    }

    /** An exposure of an answer served in {@code assignment}'s variant, or outside any experiment when it is null. */
    public static Exposure of(String recommendationId, String user, String surface, Assignment assignment,
                              List<String> itemIds, Map<String, String> modelVersions, Instant at) {
        return new Exposure(recommendationId, user, surface, assignment == null ? null : assignment.experiment(),
                            assignment == null ? null : assignment.variant(), itemIds, modelVersions, at);
    }
}

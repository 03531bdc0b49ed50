package dev.braid.recommend.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.braid.experiments.Assignment;
import dev.braid.experiments.VariantParams;
import dev.braid.recommend.BlendSettings;
import dev.braid.recommend.Normalization;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SurfacePlan;

/**
 * A surface plan as one request runs it: the plan with its experiment variant's changes applied (source weights, which
 * sources run, normalization, MMR λ, models).
 *
 * @param plan       the surface's own plan
 * @param sources    the plan's sources with the variant's weights
 * @param switchedOff sources the variant turns off
 * @param blend      the plan's blend settings with the variant's normalization and λ
 * @param models     source → the model the variant asks it for
 * @param assignment the experiment arm, or {@code null} outside any experiment
 */
public record EffectivePlan(SurfacePlan plan, List<SurfacePlan.PlannedSource> sources, Set<SourceId> switchedOff,
                            BlendSettings blend, Map<SourceId, String> models, Assignment assignment) {

    public EffectivePlan {
        sources = List.copyOf(sources);
        switchedOff = Set.copyOf(switchedOff);
        models = Map.copyOf(models);
    }

    /** The plan itself: no experiment. */
    public static EffectivePlan of(SurfacePlan plan) {
        return new EffectivePlan(plan, plan.sources(), Set.of(), plan.blend(), Map.of(), null);
    }

    /** {@code plan} as {@code assignment}'s variant changes it ({@code null}: unchanged). */
    public static EffectivePlan of(SurfacePlan plan, Assignment assignment) {
        if (assignment == null) {
            return of(plan);
        }
        VariantParams params = assignment.params();
        List<SurfacePlan.PlannedSource> sources = new ArrayList<>();
        Set<SourceId> off = new LinkedHashSet<>();
        Map<SourceId, String> models = new LinkedHashMap<>();
        for (SurfacePlan.PlannedSource planned : plan.sources()) {
            String name = planned.source().name();
            sources.add(new SurfacePlan.PlannedSource(planned.source(), params.weight(name, planned.weight()),
                                                      planned.required(), planned.loggedInOnly()));
            if (!params.runs(name, true)) {
                off.add(planned.source());
            }
            if (params.model(name) != null) {
                models.put(planned.source(), params.model(name));
            }
        }
        return new EffectivePlan(plan, sources, off, blend(plan.blend(), params), models, assignment);
    }

    private static BlendSettings blend(BlendSettings planned, VariantParams params) {
        Normalization current = planned.normalization();
        Normalization normalization = Normalization.of(params.normalization(current.method().wireName()),
                                                       params.rrfK(current.rrfK()));
        return planned.withNormalization(normalization).withMmrLambda(params.mmrLambda(planned.mmrLambda()));
    }

    public String name() {
        return plan.name();
    }
}

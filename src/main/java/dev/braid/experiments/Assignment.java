package dev.braid.experiments;

import java.util.Objects;

/**
 * The variant a unit gets on a surface, with what it changes in the plan.
 *
 * @param experiment the experiment's id: the response's {@code experiment.id}
 * @param variant    the variant's name: the response's {@code experiment.variant}
 * @param params     what the variant changes in the surface plan
 */
public record Assignment(String experiment, String variant, VariantParams params) {
    public Assignment {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(params, "params");
    }

    public Arm arm() {
        return new Arm(experiment, variant);
    }
}

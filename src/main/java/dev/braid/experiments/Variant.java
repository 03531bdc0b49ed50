package dev.braid.experiments;

import java.util.Objects;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * One arm of an experiment.
 *
 * @param name   its name: in recommendation ids, metric tags and the exposure log ({@link Experiment#NAME})
 * @param share  its relative weight among the experiment's variants ({@code 1} and {@code 1}: half each)
 * @param params what it changes in the surface plan
 */
public record Variant(String name, double share, VariantParams params) {
    public Variant {
        Rule.check(name != null && Experiment.NAME.matcher(name).matches(), "name",
                   "a variant name must be 1..40 of a-z, 0-9 and '-' (was '" + name + "')");
        Rule.check(share > 0 && Double.isFinite(share), "share", "must be a number > 0 (was " + share + ")");
        Objects.requireNonNull(params, "params");
    }

    static Variant create(Settings node) {
        return node.bind(() -> new Variant(node.name(), node.decimal("share", 1.0), VariantParams.read(node)));
    }
}

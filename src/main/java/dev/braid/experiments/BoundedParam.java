package dev.braid.experiments;

import dev.braid.config.Rule;

/**
 * A named experiment parameter with bounds, in the spirit of product-mixer's {@code FSBoundedParam}: a variant may set it
 * within {@code [min, max]}; when it does not, the surface plan's own value applies (the default is the plan's, given at
 * the point of use, so that one experiment config serves surfaces with different defaults).
 *
 * @param name the config key, as written in {@code config/experiments.yaml}
 */
public record BoundedParam<T extends Number & Comparable<T>>(String name, T min, T max) {
    public BoundedParam {
        if (min.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + ": min " + min + " above max " + max);
        }
    }

    /** The value, when set, checked against the bounds; {@code null} (not set) passes. */
    public T check(T value) {
        return check(name, value);
    }

    /** Like {@link #check(Number)}, reported under {@code key} (a map entry of this parameter, say). */
    public T check(String key, T value) {
        boolean finite = !(value instanceof Double d) || Double.isFinite(d);
        Rule.check(value == null || finite && value.compareTo(min) >= 0 && value.compareTo(max) <= 0, key,
                   "must be " + min + ".." + max + " (was " + value + ")");
        return value;
    }

    /** The variant's value, or the plan's own when the variant does not set it. */
    public T or(T override, T planValue) {
        return override == null ? planValue : override;
    }
}

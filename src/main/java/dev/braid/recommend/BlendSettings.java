package dev.braid.recommend;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * How a surface blends its sources.
 *
 * @param normalization how each source's scores are put on one scale ({@code normalization}, {@code rrf-k})
 * @param corroboration the bonus per extra source that proposed an item: score × (1 + corroboration × (sources − 1));
 *                      0..1 (1: an item two sources agree on counts double)
 * @param mmrLambda     MMR's trade-off, 0..1: 1 keeps the blended order, lower values favour variety
 * @param categoryCap   items of one category per {@code capWindow} consecutive positions; 0 turns the cap off
 * @param capWindow     the positions the cap applies to; more than {@code categoryCap} when the cap is on
 * @param listSize      how many items the blend keeps (MMR picks this many), 1..500
 */
public record BlendSettings(Normalization normalization, double corroboration, double mmrLambda, int categoryCap, int capWindow,
                            int listSize) {

    public static final BlendSettings DEFAULTS = new BlendSettings(Normalization.DEFAULT, 0.2, 0.7, 3, 10, 100);

    public BlendSettings {
        Rule.check(normalization != null, "normalization", "must be given");
        Rule.check(corroboration >= 0 && corroboration <= 1, "corroboration", "must be between 0 and 1 (was "
                   + corroboration + ")");
        Rule.check(mmrLambda >= 0 && mmrLambda <= 1, "mmr-lambda", "must be between 0 and 1 (was " + mmrLambda + ")");
        Rule.check(categoryCap >= 0, "category-cap", "must be >= 0, 0 = off (was " + categoryCap + ")");
        Rule.check(capWindow >= 1 && capWindow <= 500, "cap-window", "must be 1..500 (was " + capWindow + ")");
        Rule.check(categoryCap == 0 || capWindow > categoryCap, "cap-window", "must be more than category-cap ("
                   + categoryCap + "), or the cap never applies (was " + capWindow + ")");
        Rule.check(listSize >= 1 && listSize <= 500, "list-size", "must be 1..500 (was " + listSize + ")");
    }

    /** Reads {@code normalization}, {@code rrf-k}, {@code corroboration}, {@code mmr-lambda}, {@code category-cap},
     * {@code cap-window} and {@code list-size}; absent keys take the {@link #DEFAULTS}. */
    public static BlendSettings create(Settings node) {
        return node.bind(() -> new BlendSettings(
                normalization(node.string("normalization", DEFAULTS.normalization().method().wireName()),
                              node.integer("rrf-k", Normalization.DEFAULT_RRF_K)),
                node.decimal("corroboration", DEFAULTS.corroboration()),
                node.decimal("mmr-lambda", DEFAULTS.mmrLambda()),
                node.integer("category-cap", DEFAULTS.categoryCap()),
                node.integer("cap-window", DEFAULTS.capWindow()),
                node.integer("list-size", DEFAULTS.listSize())));
    }

    /** The same settings with another normalization (an experiment's variant). */
    public BlendSettings withNormalization(Normalization normalization) {
        return new BlendSettings(normalization, corroboration, mmrLambda, categoryCap, capWindow, listSize);
    }

    /** The same settings with another MMR trade-off (an experiment's variant). */
    public BlendSettings withMmrLambda(double mmrLambda) {
        return new BlendSettings(normalization, corroboration, mmrLambda, categoryCap, capWindow, listSize);
    }

    private static Normalization normalization(String name, int rrfK) {
        Rule.atLeast("rrf-k", rrfK, 1); // checked whatever the normalization, so switching to rrf later cannot break
        try {
            return Normalization.of(name, rrfK);
        } catch (IllegalArgumentException e) {
            Rule.check(false, "normalization", e.getMessage());
            throw e;
        }
    }
}

package dev.braid.experiments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * What a variant changes in the surface plan; every field is optional, {@code null} (or an empty map, or a source not
 * named in a map) meaning "the plan's own value". Bounds are checked here, names of sources against the configured
 * sources by {@link ExperimentsConfig#problems}.
 *
 * @param normalization how each source's scores are normalized before blending: one of {@link #NORMALIZATIONS}
 * @param rrfK          the {@code k} of reciprocal rank fusion ({@link #RRF_K})
 * @param mmrLambda     MMR's trade-off between relevance (1) and diversity (0) ({@link #MMR_LAMBDA})
 * @param weights       source → its weight in the blend ({@link #WEIGHT})
 * @param sources       source → whether it runs at all
 * @param models        source → the model version, served model or campaign to ask it for
 */
public record VariantParams(String normalization, Integer rrfK, Double mmrLambda, Map<String, Double> weights,
                            Map<String, Boolean> sources, Map<String, String> models) {
    public static final List<String> NORMALIZATIONS = List.of("min-max", "z-score", "rrf");
    public static final BoundedParam<Integer> RRF_K = new BoundedParam<>("rrf-k", 1, 1000);
    public static final BoundedParam<Double> MMR_LAMBDA = new BoundedParam<>("mmr-lambda", 0.0, 1.0);
    /** A blend weight; the upper bound only catches typos (weights are relative). */
    public static final BoundedParam<Double> WEIGHT = new BoundedParam<>("weights", 0.0, 1000.0);

    private static final VariantParams NONE = new VariantParams(null, null, null, Map.of(), Map.of(), Map.of());

    public VariantParams {
        weights = Map.copyOf(weights);
        sources = Map.copyOf(sources);
        models = Map.copyOf(models);
        Rule.check(normalization == null || NORMALIZATIONS.contains(normalization), "normalization",
                   "must be one of " + String.join(", ", NORMALIZATIONS) + " (was '" + normalization + "')");
        RRF_K.check(rrfK);
        MMR_LAMBDA.check(mmrLambda);
        weights.forEach((source, weight) -> WEIGHT.check("weights." + source, weight));
        models.forEach((source, model) -> Rule.notBlank("models." + source, model));
    }

    /** The plan as it is: the control arm of most experiments. */
    public static VariantParams none() {
        return NONE;
    }

    public String normalization(String planValue) {
        return normalization == null ? planValue : normalization;
    }

    public int rrfK(int planValue) {
        return RRF_K.or(rrfK, planValue);
    }

    public double mmrLambda(double planValue) {
        return MMR_LAMBDA.or(mmrLambda, planValue);
    }

    public double weight(String source, double planValue) {
        return weights.getOrDefault(source, planValue);
    }

    /** Whether {@code source} runs: the plan's sources all do unless the variant turns one off (or on). */
    public boolean runs(String source, boolean planValue) {
        return sources.getOrDefault(source, planValue);
    }

    /** The model to ask {@code source} for, or {@code null} for the source's configured one. */
    public String model(String source) {
        return models.get(source);
    }

    /** Every source name the parameters mention, for checking them against the configured sources. */
    Map<String, String> sourceKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        weights.keySet().forEach(source -> keys.put("weights." + source, source));
        sources.keySet().forEach(source -> keys.put("sources." + source, source));
        models.keySet().forEach(source -> keys.put("models." + source, source));
        return keys;
    }

    /** Reads the parameter keys of a variant's node (which also holds its share). */
    static VariantParams read(Settings node) {
        Map<String, Double> weights = new LinkedHashMap<>();
        node.stringMap("weights").forEach((source, text) -> weights.put(source, number("weights." + source, text)));
        Map<String, Boolean> sources = new LinkedHashMap<>();
        node.stringMap("sources").forEach((source, text) -> sources.put(source, bool("sources." + source, text)));
        return new VariantParams(node.has("normalization") ? node.string("normalization", null).trim() : null,
                                 node.has("rrf-k") ? node.integer("rrf-k", 0) : null,
                                 node.has("mmr-lambda") ? node.decimal("mmr-lambda", 0) : null,
                                 weights, sources, node.stringMap("models"));
    }

    private static double number(String key, String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            Rule.check(false, key, "must be a number (was '" + text + "')");
            return 0;
        }
    }

    private static boolean bool(String key, String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Rule.check(value.equals("true") || value.equals("false"), key, "must be true or false (was '" + text + "')");
        return Boolean.parseBoolean(value);
    }
}

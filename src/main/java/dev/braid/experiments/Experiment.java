package dev.braid.experiments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.braid.config.InvalidConfigException;
import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * One experiment on one or more surfaces.
 *
 * @param id       its name ({@link #NAME}): in recommendation ids, the response's {@code experiment.id}, metric tags
 * @param enabled  whether units are assigned to it; a disabled experiment is still validated, and conversions of its
 *                 recommendations issued before it was turned off are still attributed
 * @param surfaces the surfaces it runs on; two enabled experiments never share one
 * @param salt     mixed into the hash of each unit: a new salt reshuffles who gets which variant (defaults to the id)
 * @param traffic  the share of units in the experiment, 0..1; the others get no experiment at all. Raising it only adds
 *                 units: nobody in the experiment leaves it or changes variant
 * @param variants at least two; from the file, in the order of their names
 */
public record Experiment(String id, boolean enabled, Set<String> surfaces, String salt, double traffic,
                         List<Variant> variants) {
    /** Experiment and variant names: safe in recommendation ids (no dot), metric tags, Redis stream fields. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,40}");
    /** Bounded: each variant is a metric series per conversion type. */
    public static final int MAX_VARIANTS = 10;

    public Experiment {
        surfaces = Set.copyOf(new LinkedHashSet<>(surfaces));
        variants = List.copyOf(variants);
        Rule.check(id != null && NAME.matcher(id).matches(), "id",
                   "an experiment id must be 1..40 of a-z, 0-9 and '-' (was '" + id + "')");
        Rule.check(!surfaces.isEmpty(), "surfaces", "must name at least one surface");
        Rule.notBlank("salt", salt);
        Rule.check(traffic >= 0 && traffic <= 1, "traffic", "must be 0..1, the share of units in the experiment (was "
                   + traffic + ")");
        Rule.check(variants.size() >= 2, "variants", "must have at least 2 variants (was " + variants.size() + ")");
        Rule.check(variants.size() <= MAX_VARIANTS, "variants", "must have at most " + MAX_VARIANTS + " variants (was "
                   + variants.size() + ")");
        double total = variants.stream().mapToDouble(Variant::share).sum();
        Set<String> names = new LinkedHashSet<>();
        for (Variant variant : variants) {
            Rule.check(names.add(variant.name()), "variants." + variant.name(), "is listed twice");
            // Assignment splits Assigner.BUCKETS buckets by share: a variant needs at least one of them.
            Rule.check(variant.share() / total * Assigner.BUCKETS >= 1, "variants." + variant.name() + ".share",
                       "is too small next to the others: under 1/" + Assigner.BUCKETS + " of the units");
        }
    }

    /** The variant named {@code name}, or {@code null}. */
    public Variant variant(String name) {
        return variants.stream().filter(variant -> variant.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * Reads one entry of {@code experiments:}; its name is the id. Every broken rule of its variants is reported, each with
     * its key.
     */
    static Experiment create(Settings node) {
        String id = node.name();
        List<String> problems = new ArrayList<>();
        List<Variant> variants = new ArrayList<>();
        for (Map.Entry<String, Settings> entry : node.children("variants").entrySet()) {
            try {
                variants.add(Variant.create(entry.getValue()));
            } catch (InvalidConfigException e) {
                problems.addAll(e.problems());
            }
        }
        // Helidon does not keep a YAML map's order: by name, so that listings and messages are the same every time.
        variants.sort(Comparator.comparing(Variant::name));
        Experiment experiment;
        try {
            experiment = node.bind(() -> new Experiment(id, node.bool("enabled", true),
                                                        new LinkedHashSet<>(node.list("surfaces", List.of())),
                                                        node.string("salt", id), node.decimal("traffic", 1.0), variants));
        } catch (InvalidConfigException e) {
            // A variant that did not bind is missing from the count of variants: its own problem says more.
            boolean variantsReported = !problems.isEmpty();
            e.problems().stream().filter(problem -> !(variantsReported && problem.startsWith(node.key("variants") + ":")))
                    .forEach(problems::add);
            throw new InvalidConfigException(problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return experiment;
    }
}

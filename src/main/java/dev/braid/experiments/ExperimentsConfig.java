package dev.braid.experiments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.braid.config.InvalidConfigException;
import dev.braid.config.Rule;
import dev.braid.config.Settings;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;

/**
 * Every experiment, from their own file ({@code config/experiments.yaml} by default), so that starting or stopping one
 * is a change of one small file. Validated as a whole: each experiment's rules, and no surface runs two enabled
 * experiments at once. Names of sources and surfaces are checked against the service's configuration by
 * {@link #problems}.
 */
public record ExperimentsConfig(List<Experiment> experiments) {
    public static final Path DEFAULT_FILE = Path.of("config", "experiments.yaml");
    private static final ExperimentsConfig NONE = new ExperimentsConfig(List.of());

    public ExperimentsConfig {
        experiments = List.copyOf(experiments);
        Set<String> ids = new HashSet<>();
        Map<String, String> running = new LinkedHashMap<>();
        for (Experiment experiment : experiments) {
            Rule.check(ids.add(experiment.id()), "experiments." + experiment.id(), "is defined twice");
            if (!experiment.enabled()) {
                continue;
            }
            for (String surface : new TreeSet<>(experiment.surfaces())) {
                String other = running.putIfAbsent(surface, experiment.id());
                // Two at once would make each one's effect the other's noise, and a request can carry only one.
                Rule.check(other == null, "experiments." + experiment.id() + ".surfaces", "surface '" + surface
                           + "' already runs experiment '" + other + "'; enabled experiments may not share a surface");
            }
        }
    }

    public static ExperimentsConfig none() {
        return NONE;
    }

    /**
     * Reads and validates {@code file}. A missing file at {@link #DEFAULT_FILE} means no experiments; a missing file named
     * explicitly is a mistake. Every problem names the file and the key.
     */
    public static ExperimentsConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            if (file.normalize().equals(DEFAULT_FILE)) {
                return none();
            }
            throw new InvalidConfigException("experiments.file", "file " + file.toAbsolutePath() + " does not exist");
        }
        try {
            Config root = Config.builder()
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .sources(ConfigSources.file(file))
                    .disableCaching()
                    .build();
            Config experiments = root.get("experiments");
            if (experiments.exists() && experiments.isLeaf()) {
                // "experiments:" with nothing under it: none yet. Anything else there is not a map of experiments.
                if (experiments.asString().asOptional().map(String::isBlank).orElse(true)) {
                    return none();
                }
                throw new InvalidConfigException(file + ": experiments", "must be a map of experiment ids to experiments");
            }
            List<String> problems = upperCaseKeys(root);
            if (problems.isEmpty()) {
                try {
                    return create(Settings.of(root));
                } catch (InvalidConfigException e) {
                    problems.addAll(e.problems());
                }
            }
            throw new InvalidConfigException(problems.stream().map(problem -> file + ": " + problem).toList());
        } catch (ConfigException e) {
            // Not YAML, or a section where a value belongs (Helidon's message names the key).
            throw new InvalidConfigException(file.toString(), e.getMessage());
        }
    }

    /** Reads the experiments under {@code experiments:} of {@code root}, reporting every broken rule with its key. */
    public static ExperimentsConfig create(Settings root) {
        List<String> problems = new ArrayList<>();
        List<Experiment> experiments = new ArrayList<>();
        root.children("experiments").forEach((id, node) -> {
            if (!Experiment.NAME.matcher(id).matches()) {
                problems.add("experiments." + id + ": an experiment id must be 1..40 of a-z, 0-9 and '-'");
                return;
            }
            try {
                experiments.add(Experiment.create(node));
            } catch (InvalidConfigException e) {
                problems.addAll(e.problems());
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        // Helidon does not keep a YAML map's order: by id, so that messages are the same every time.
        experiments.sort(Comparator.comparing(Experiment::id));
        return root.bind(() -> new ExperimentsConfig(experiments));
    }

    /** The enabled experiment on {@code surface}, if any. */
    public Optional<Experiment> running(String surface) {
        return experiments.stream().filter(experiment -> experiment.enabled() && experiment.surfaces().contains(surface))
                .findFirst();
    }

    /**
     * Names this file uses that the service does not know: surfaces, and sources in the variants' parameters. Empty when
     * all is well; for the composition root to report with the rest of the configuration.
     */
    public List<String> problems(Set<String> knownSources, Set<String> knownSurfaces) {
        List<String> problems = new ArrayList<>();
        for (Experiment experiment : experiments) {
            String key = "experiments." + experiment.id();
            for (String surface : new TreeSet<>(experiment.surfaces())) {
                if (!knownSurfaces.contains(surface)) {
                    problems.add(key + ".surfaces: unknown surface '" + surface + "'; configured surfaces: "
                                 + names(knownSurfaces));
                }
            }
            for (Variant variant : experiment.variants()) {
                variant.params().sourceKeys().forEach((param, source) -> {
                    if (!knownSources.contains(source)) {
                        problems.add(key + ".variants." + variant.name() + "." + param + ": unknown source '" + source
                                     + "'; configured sources: " + names(knownSources));
                    }
                });
            }
        }
        return problems;
    }

    private static String names(Set<String> names) {
        return names.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(names));
    }

    /** Settings ignores upper-case keys (they are environment aliases elsewhere); in this file they are mistakes. */
    private static List<String> upperCaseKeys(Config root) {
        List<String> problems = new ArrayList<>();
        root.traverse().forEach(node -> {
            if (!node.name().equals(node.name().toLowerCase(Locale.ROOT))) {
                problems.add(node.key() + ": keys are lower case (was '" + node.name() + "')");
            }
        });
        return problems;
    }
}

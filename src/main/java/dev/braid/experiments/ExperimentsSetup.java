package dev.braid.experiments;

import java.nio.file.Path;

import dev.braid.config.Settings;

/**
 * The {@code experiments} block of application.yaml: where the experiments are defined, and how exposures are logged.
 *
 * @param file        the experiments file; absent at {@link ExperimentsConfig#DEFAULT_FILE}: no experiments
 * @param experiments what {@code file} defines, validated (names of sources and surfaces: {@link
 *                    ExperimentsConfig#problems})
 * @param exposures   the exposure log's settings
 */
public record ExperimentsSetup(Path file, ExperimentsConfig experiments, ExposureConfig exposures) {

    public static ExperimentsSetup create(Settings node) {
        ExposureConfig exposures = ExposureConfig.create(node.child("exposures"));
        Path file = node.bind(() -> Path.of(node.string("file", ExperimentsConfig.DEFAULT_FILE.toString()).trim()));
        return new ExperimentsSetup(file, ExperimentsConfig.load(file), exposures);
    }
}

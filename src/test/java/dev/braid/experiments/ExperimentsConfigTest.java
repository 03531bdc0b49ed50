package dev.braid.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.braid.BraidConfig;
import dev.braid.TestConfigs;
import dev.braid.config.InvalidConfigException;
import dev.braid.config.Settings;
import dev.braid.recommend.SourceId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentsConfigTest {
    @TempDir
    Path dir;

    @Test
    void theShippedFileValidatesAgainstTheDefaultApplicationYaml() {
        ExperimentsConfig config = ExperimentsConfig.load(ExperimentsConfig.DEFAULT_FILE);
        BraidConfig braid = TestConfigs.local(Map.of());
        Set<String> sources = braid.sources().keySet().stream().map(SourceId::name).collect(Collectors.toSet());

        assertThat(config.problems(sources, braid.surfaces().keySet())).isEmpty();
        Experiment blend = config.running("home").orElseThrow();
        assertThat(blend.surfaces()).containsExactly("home");
        assertThat(blend.variants()).extracting(Variant::name).containsExactly("control", "treatment");
        assertThat(blend.variant("control").params()).isEqualTo(VariantParams.none());
        VariantParams treatment = blend.variant("treatment").params();
        assertThat(treatment.mmrLambda()).isEqualTo(0.5);
        assertThat(treatment.normalization()).isEqualTo("z-score");
    }

    @Test
    void applicationYamlNamesTheFileAndTheExposureSettings() {
        ExperimentsSetup setup = ExperimentsSetup.create(Settings.of(TestConfigs.config(Map.of()).get("experiments")));

        assertThat(setup.file()).isEqualTo(ExperimentsConfig.DEFAULT_FILE);
        assertThat(setup.experiments().running("home")).isPresent();
        assertThat(setup.exposures()).isEqualTo(new ExposureConfig("exposures", 100_000, 50_000, 1_000));
        assertThat(setup.exposures()).isEqualTo(ExposureConfig.defaults());
    }

    @Test
    void exposureSettingsAreValidatedWithTheirKeys() {
        assertThatThrownBy(() -> ExperimentsSetup.create(Settings.of(TestConfigs.config(Map.of(
                "experiments.exposures.batch", "0")).get("experiments"))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("experiments.exposures.batch: must be 1..10000 (was 0)");
        assertThatThrownBy(() -> ExperimentsSetup.create(Settings.of(TestConfigs.config(Map.of(
                "experiments.exposures.max-lenght", "5")).get("experiments"))))
                .hasMessageContaining("experiments.exposures.max-lenght: unknown setting");
    }

    @Test
    void aMissingFileIsNoExperimentsOnlyAtTheDefaultPath() {
        assertThat(ExperimentsConfig.load(Path.of("config", "..", "config", "experiments.yaml")).experiments())
                .isNotEmpty();
        Path elsewhere = dir.resolve("nope.yaml");

        assertThat(ExperimentsConfig.none().experiments()).isEmpty();
        assertThat(ExperimentsConfig.none().running("home")).isEmpty();
        assertThatThrownBy(() -> ExperimentsConfig.load(elsewhere))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("experiments.file: file " + elsewhere.toAbsolutePath() + " does not exist");
    }

    @Test
    void anEmptyFileHasNoExperiments() throws IOException {
        assertThat(load("# nothing yet\n").experiments()).isEmpty();
        assertThat(load("experiments:\n").experiments()).isEmpty();
        assertThat(load("experiments: {}\n").experiments()).isEmpty();
        assertThat(problems("experiment:\n  a: {}\n")).singleElement().asString()
                .endsWith("experiment: unknown setting; known here: experiments");
        assertThat(problems("experiments:\n  x: {surfaces: [home], variants: 5}\n")).singleElement().asString()
                .startsWith(dir.resolve("experiments.yaml") + ": ").contains("experiments.x.variants");
        assertThat(problems("experiments: [\n")).singleElement().asString()
                .startsWith(dir.resolve("experiments.yaml") + ": ");
        assertThat(problems("experiments: blend-v2\n")).singleElement().asString()
                .endsWith("experiments.yaml: experiments: must be a map of experiment ids to experiments");
    }

    @Test
    void everyProblemOfTheFileIsReportedWithTheFileAndItsKey() throws IOException {
        List<String> problems = problems("""
                experiments:
                  broken:
                    surfaces: []
                    traffic: 1.5
                    variants:
                      a: {share: 0}
                      b:
                        normalization: softmax
                        rrf-k: 0
                  lambda:
                    surfaces: [pdp]
                    variants:
                      a: {}
                      b: {mmr-lambda: 1.5}
                  maps:
                    surfaces: [cart]
                    variants:
                      a: {weights: {trending: -1}}
                      b: {weights: {trending: lots}}
                      c: {sources: {trending: maybe}}
                      d: {models: {databricks: ""}}
                      e: {mmr_lambda: 0.3}
                  blend_v2:
                    surfaces: [search]
                    variants: {a: {}, b: {}}
                """);
        String file = dir.resolve("experiments.yaml") + ": ";

        assertThat(problems).containsExactlyInAnyOrder(
                // The experiment's own first broken rule, besides its variants' (a record stops at its first).
                file + "experiments.broken.surfaces: must name at least one surface",
                file + "experiments.broken.variants.a.share: must be a number > 0 (was 0.0)",
                file + "experiments.broken.variants.b.normalization: must be one of min-max, z-score, rrf (was 'softmax')",
                file + "experiments.lambda.variants.b.mmr-lambda: must be 0.0..1.0 (was 1.5)",
                file + "experiments.maps.variants.a.weights.trending: must be 0.0..1000.0 (was -1.0)",
                file + "experiments.maps.variants.b.weights.trending: must be a number (was 'lots')",
                file + "experiments.maps.variants.c.sources.trending: must be true or false (was 'maybe')",
                file + "experiments.maps.variants.d.models.databricks: must not be empty",
                file + "experiments.maps.variants.e.mmr_lambda: unknown setting; known here: share, weights, sources, "
                + "normalization, rrf-k, mmr-lambda, models",
                file + "experiments.blend_v2: an experiment id must be 1..40 of a-z, 0-9 and '-'");
    }

    @Test
    void experimentRulesNameTheirKeys() throws IOException {
        assertThat(problems("""
                experiments:
                  x:
                    surfaces: []
                    variants: {a: {}, b: {}}
                """)).singleElement().asString().endsWith("experiments.x.surfaces: must name at least one surface");
        assertThat(problems("""
                experiments:
                  x:
                    surfaces: [home]
                    traffic: 1.5
                    variants: {a: {}, b: {}}
                """)).singleElement().asString()
                .endsWith("experiments.x.traffic: must be 0..1, the share of units in the experiment (was 1.5)");
        assertThat(problems("""
                experiments:
                  x:
                    surfaces: [home]
                    variants: {only: {}}
                """)).singleElement().asString().endsWith("experiments.x.variants: must have at least 2 variants (was 1)");
        assertThat(problems("""
                experiments:
                  x:
                    surfaces: [home]
                    variants: {a: {rrf-k: 0}, b: {rrf-k: 1001}}
                """)).extracting(problem -> problem.substring(problem.indexOf("experiments.x")))
                .containsExactly("experiments.x.variants.a.rrf-k: must be 1..1000 (was 0)",
                                 "experiments.x.variants.b.rrf-k: must be 1..1000 (was 1001)");
        assertThat(problems("""
                experiments:
                  x:
                    surfaces: [home]
                    variants: {a: {share: 100000}, b: {share: 1}}
                """)).singleElement().asString().endsWith("experiments.x.variants.b.share: is too small next to the "
                                                          + "others: under 1/10000 of the units");
        assertThat(problems("""
                experiments:
                  x:
                    surfaces: [home]
                    variants: {a: {}, b: {}}
                    typo: 1
                """)).singleElement().asString().contains("experiments.x.typo: unknown setting");
    }

    @Test
    void upperCaseKeysAreMistakesNotSilentlySkipped() throws IOException {
        assertThat(problems("""
                experiments:
                  Blend:
                    surfaces: [home]
                    variants: {a: {}, B: {}}
                """)).extracting(problem -> problem.substring(problem.indexOf(": ") + 2))
                .containsExactly("experiments.Blend: keys are lower case (was 'Blend')",
                                 "experiments.Blend.variants.B: keys are lower case (was 'B')");
    }

    @Test
    void twoEnabledExperimentsMayNotShareASurfaceButADisabledOneMay() throws IOException {
        assertThat(problems("""
                experiments:
                  a: {surfaces: [home, pdp], variants: {x: {}, y: {}}}
                  b: {surfaces: [cart, pdp], variants: {x: {}, y: {}}}
                """)).singleElement().asString().endsWith("experiments.b.surfaces: surface 'pdp' already runs "
                                                          + "experiment 'a'; enabled experiments may not share a surface");

        ExperimentsConfig config = load("""
                experiments:
                  a: {surfaces: [home, pdp], variants: {x: {}, y: {}}}
                  b: {enabled: false, surfaces: [pdp], variants: {x: {}, y: {}}}
                """);
        assertThat(config.running("pdp")).map(Experiment::id).contains("a");
        assertThat(config.experiments()).extracting(Experiment::id).containsExactly("a", "b");
    }

    @Test
    void theSaltDefaultsToTheIdAndTrafficToEverybody() throws IOException {
        Experiment experiment = load("""
                experiments:
                  plain: {surfaces: [home], variants: {x: {}, y: {share: 3}}}
                """).experiments().getFirst();

        assertThat(experiment.salt()).isEqualTo("plain");
        assertThat(experiment.traffic()).isEqualTo(1.0);
        assertThat(experiment.enabled()).isTrue();
        assertThat(experiment.variant("y").share()).isEqualTo(3.0);
    }

    @Test
    void namesOfSurfacesAndSourcesAreCheckedAgainstTheServiceConfiguration() throws IOException {
        ExperimentsConfig config = load("""
                experiments:
                  a:
                    surfaces: [home, pdp]
                    variants:
                      x: {weights: {trending: 2, personalize: 1}}
                      y: {sources: {content: false}, models: {databricks: braid-recs-v2}}
                """);

        assertThat(config.problems(Set.of("trending"), Set.of("home"))).containsExactly(
                "experiments.a.surfaces: unknown surface 'pdp'; configured surfaces: home",
                "experiments.a.variants.x.weights.personalize: unknown source 'personalize'; configured sources: trending",
                "experiments.a.variants.y.sources.content: unknown source 'content'; configured sources: trending",
                "experiments.a.variants.y.models.databricks: unknown source 'databricks'; configured sources: trending");
        assertThat(config.problems(Set.of("trending", "personalize", "content", "databricks"), Set.of("home", "pdp")))
                .isEmpty();
    }

    @Test
    void variantParamsFallBackToThePlan() {
        VariantParams params = new VariantParams("rrf", 30, null, Map.of("trending", 0.5), Map.of("content", false),
                                                 Map.of("databricks", "v2"));

        assertThat(params.normalization("min-max")).isEqualTo("rrf");
        assertThat(params.rrfK(60)).isEqualTo(30);
        assertThat(params.mmrLambda(0.7)).isEqualTo(0.7);
        assertThat(params.weight("trending", 1.0)).isEqualTo(0.5);
        assertThat(params.weight("personalize", 1.0)).isEqualTo(1.0);
        assertThat(params.runs("content", true)).isFalse();
        assertThat(params.runs("trending", true)).isTrue();
        assertThat(params.model("databricks")).isEqualTo("v2");
        assertThat(params.model("personalize")).isNull();
        assertThat(VariantParams.none().mmrLambda(0.7)).isEqualTo(0.7);
    }

    private ExperimentsConfig load(String yaml) throws IOException {
        Path file = dir.resolve("experiments.yaml");
        Files.writeString(file, yaml);
        return ExperimentsConfig.load(file);
    }

    private List<String> problems(String yaml) throws IOException {
        try {
            load(yaml);
        } catch (InvalidConfigException e) {
            return e.problems();
        }
        throw new AssertionError("valid: " + yaml);
    }
}

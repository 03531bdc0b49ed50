package dev.braid.recommend;

import java.util.Map;

import dev.braid.config.InvalidConfigException;
import dev.braid.config.Settings;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlendSettingsTest {

    @Test
    void absentKeysTakeTheDefaults() {
        assertThat(BlendSettings.create(Settings.of(Config.empty()))).isEqualTo(BlendSettings.DEFAULTS)
                .isEqualTo(new BlendSettings(Normalization.of("rrf", 60), 0.2, 0.7, 3, 10, 100));
    }

    @Test
    void readsEveryKey() {
        BlendSettings settings = BlendSettings.create(blend(Map.of(
                "blend.normalization", "z-score", "blend.rrf-k", "10", "blend.corroboration", "0.5",
                "blend.mmr-lambda", "1", "blend.category-cap", "0", "blend.cap-window", "4", "blend.list-size", "40")));

        assertThat(settings).isEqualTo(new BlendSettings(Normalization.of("z-score", 10), 0.5, 1.0, 0, 4, 40));
        assertThat(BlendSettings.create(blend(Map.of("blend.rrf-k", "10"))).normalization())
                .isEqualTo(new Normalization(Normalization.Method.RRF, 10));
    }

    @Test
    void brokenRulesNameTheAbsoluteKey() {
        assertProblem(Map.of("blend.normalization", "softmax"),
                      "blend.normalization: unknown normalization 'softmax'; known: min-max, z-score, rrf");
        assertProblem(Map.of("blend.rrf-k", "0"), "blend.rrf-k: must be at least 1 (was 0)");
        assertProblem(Map.of("blend.mmr-lambda", "1.5"), "blend.mmr-lambda: must be between 0 and 1 (was 1.5)");
        assertProblem(Map.of("blend.corroboration", "-0.1"), "blend.corroboration: must be between 0 and 1 (was -0.1)");
        assertProblem(Map.of("blend.category-cap", "-1"), "blend.category-cap: must be >= 0, 0 = off (was -1)");
        assertProblem(Map.of("blend.category-cap", "3", "blend.cap-window", "3"),
                      "blend.cap-window: must be more than category-cap (3), or the cap never applies (was 3)");
        assertProblem(Map.of("blend.list-size", "501"), "blend.list-size: must be 1..500 (was 501)");
        assertProblem(Map.of("blend.list-size", "0"), "blend.list-size: must be 1..500 (was 0)");
        assertProblem(Map.of("blend.mmr-lamda", "0.5"),
                      "blend.mmr-lamda: unknown setting; known here: normalization, rrf-k, corroboration, mmr-lambda, "
                      + "category-cap, cap-window, list-size");
    }

    @Test
    void withersChangeOneSettingAndStillValidate() {
        BlendSettings variant = BlendSettings.DEFAULTS.withNormalization(Normalization.of("min-max", 60)).withMmrLambda(1.0);

        assertThat(variant).isEqualTo(new BlendSettings(Normalization.of("min-max", 60), 0.2, 1.0, 3, 10, 100));
        assertThatThrownBy(() -> BlendSettings.DEFAULTS.withMmrLambda(-0.5)).hasMessageContaining("between 0 and 1");
    }

    private static void assertProblem(Map<String, String> values, String problem) {
        assertThatThrownBy(() -> BlendSettings.create(blend(values)))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).containsExactly(problem));
    }

    private static Settings blend(Map<String, String> values) {
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(values)).build();
        return Settings.of(config.get("blend"));
    }
}

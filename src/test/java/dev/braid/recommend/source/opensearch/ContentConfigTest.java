package dev.braid.recommend.source.opensearch;

import java.time.Duration;
import java.util.Map;

import dev.braid.config.InvalidConfigException;
import dev.braid.config.Settings;
import dev.braid.recommend.SourceId;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentConfigTest {

    @Test
    void defaultsReadTheCatalogAliasWithTenHistoryItemsIn50ms() {
        ContentConfig config = ContentConfig.create(SourceId.of("content"), Settings.of(Config.empty()));

        assertThat(config.index()).isEqualTo("catalog");
        assertThat(config.history()).isEqualTo(10);
        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.perUser()).isTrue();
        assertThat(config.kind().name()).isEqualTo("opensearch");
    }

    @Test
    void rulesNameTheirAbsoluteKeys() {
        assertThatThrownBy(() -> read(Map.of("sources.content.history", "0")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("sources.content.history: must be at least 1 (was 0)");
        assertThatThrownBy(() -> read(Map.of("sources.content.histroy", "5")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("sources.content.histroy: unknown setting");
    }

    private static ContentConfig read(Map<String, String> values) {
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(values)).build();
        return ContentConfig.create(SourceId.of("content"), Settings.of(config.get("sources.content")));
    }
}

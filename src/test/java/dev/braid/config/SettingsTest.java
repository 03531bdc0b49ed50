package dev.braid.config;

import java.util.List;
import java.util.Map;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The typed readers for maps whose names are data and for lists of sections. */
class SettingsTest {

    @Test
    void stringMapKeepsNamesAsWrittenAndTheirOrder() {
        Settings node = yaml("""
                source:
                  context:
                    DEVICE_COUNTRY: country
                    locale: language
                    Mixed_Case: country
                """);
        assertThat(node.stringMap("context"))
                .containsExactly(Map.entry("DEVICE_COUNTRY", "country"), Map.entry("locale", "language"),
                                 Map.entry("Mixed_Case", "country"));
        assertThat(node.bind(() -> node.stringMap("context"))).hasSize(3);
    }

    @Test
    void absentOrEmptyMapsAreEmpty() {
        Settings node = yaml("""
                source:
                  empty: ""
                  other: 1
                """);
        assertThat(node.stringMap("missing")).isEmpty();
        assertThat(node.stringMap("empty")).isEmpty();
        assertThat(node.listMap("missing")).isEmpty();
        assertThat(node.sections("missing")).isEmpty();
        assertThat(node.sections("empty")).isEmpty();
    }

    @Test
    void aMapEntryMustBeASingleValueAndTheMapAMap() {
        Settings node = yaml("""
                source:
                  arns:
                    home:
                      nested: x
                  flat: just-a-value
                  listed: [a, b]
                """);
        assertThatThrownBy(() -> node.stringMap("arns")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("source.arns.home: must be a single value, not a section");
        assertThatThrownBy(() -> node.stringMap("flat")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("source.flat: must be a map of names to values");
        assertThatThrownBy(() -> node.listMap("listed")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("source.listed: must be a map of names to values");
    }

    @Test
    void listMapReadsSequencesAndCommaSeparatedValues() {
        Settings node = yaml("""
                source:
                  metadata-columns:
                    ITEMS: [TITLE, GENRE]
                    USERS: "AGE, PLAN"
                """);
        assertThat(node.listMap("metadata-columns"))
                .containsExactly(Map.entry("ITEMS", List.of("TITLE", "GENRE")), Map.entry("USERS", List.of("AGE", "PLAN")));
    }

    @Test
    void sectionsAreBoundOneByOneWithIndexedKeys() {
        Settings node = yaml("""
                source:
                  promotions:
                    - name: sale
                      percent: 10
                    - name: new
                      percnt: 20
                  single: x
                  values: [a, b]
                """);
        List<Settings> sections = node.sections("promotions");
        assertThat(sections).hasSize(2);
        assertThat(sections.get(0).string("name", null)).isEqualTo("sale");
        assertThat(sections.get(0).bind(() -> sections.get(0).integer("percent", 0))).isEqualTo(10);
        Settings second = sections.get(1);
        assertThatThrownBy(() -> second.bind(() -> second.string("name", null) + second.integer("percent", 0)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("source.promotions.1.percnt: unknown setting");
        assertThatThrownBy(() -> node.sections("single")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("source.single: must be a list of sections");
        assertThatThrownBy(() -> node.sections("values")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("source.values.0: must be a section of settings");
    }

    @Test
    void sectionsFromFlatKeysAreReadInIndexOrder() {
        Map<String, String> flat = new java.util.LinkedHashMap<>();
        for (int i = 11; i >= 0; i--) {
            flat.put("source.promotions." + i + ".name", "p" + i);
        }
        flat.put("source.mixed.0.name", "a");
        flat.put("source.mixed.sale.name", "b");
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(flat)).build();
        Settings node = Settings.of(config.get("source"));

        assertThat(node.sections("promotions")).extracting(section -> section.string("name", null))
                .containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11");
        assertThatThrownBy(() -> node.sections("mixed")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("source.mixed: must be a list of sections");
    }

    @Test
    void mapsAndSectionsCountAsReadForUnknownKeyChecks() {
        Settings node = yaml("""
                source:
                  arns: {home: a}
                  promotions: [{name: sale}]
                  metadata-columns: {ITEMS: [TITLE]}
                """);
        assertThat(node.bind(() -> node.stringMap("arns").size() + node.sections("promotions").size()
                                   + node.listMap("metadata-columns").size())).isEqualTo(3);
    }

    private static Settings yaml(String yaml) {
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(yaml, MediaTypes.create("application/x-yaml")))
                .build();
        return Settings.of(config.get("source"));
    }
}

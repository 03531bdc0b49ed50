package dev.braid.recommend.source.personalize;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.braid.config.HttpClientConfig;
import dev.braid.config.InvalidConfigException;
import dev.braid.config.Settings;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.source.personalize.PersonalizeConfig.ContextField;
import dev.braid.recommend.source.personalize.PersonalizeConfig.Promotion;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersonalizeConfigTest {
    private static final String HOME = "arn:aws:personalize:eu-west-1:123456789012:campaign/home";
    private static final String FILTER = "arn:aws:personalize:eu-west-1:123456789012:filter/exclude";

    @Test
    void aSurfaceArnIsAllItNeeds() {
        PersonalizeConfig config = read("""
                kind: personalize
                arns:
                  home: %s
                """.formatted(HOME));

        assertThat(config.id()).isEqualTo(SourceId.of("personalize"));
        assertThat(config.perUser()).isTrue();
        assertThat(config.kind().name()).isEqualTo("personalize");
        assertThat(config.reranks()).isFalse();
        assertThat(config.region()).isEmpty();
        assertThat(config.endpoint()).isNull();
        assertThat(config.arns()).containsExactly(Map.entry("home", HOME));
        assertThat(config.rankingCampaignArn()).isNull();
        assertThat(config.filterArn()).isNull();
        assertThat(config.filterExcludeParameter()).isNull();
        assertThat(config.context()).isEmpty();
        assertThat(config.metadataColumns()).isEmpty();
        assertThat(config.promotions()).isEmpty();
        assertThat(config.modelVersion()).isNull();
        assertThat(config.http()).isEqualTo(HttpClientConfig.read(Settings.of(Config.empty()), Duration.ofMillis(250)));
    }

    @Test
    void everySettingIsRead() {
        PersonalizeConfig config = read("""
                kind: personalize
                region: eu-west-1
                endpoint: http://127.0.0.1:9191
                arns:
                  home: %s
                  pdp: arn:aws:personalize:eu-west-1:123456789012:recommender/pdp
                ranking-campaign-arn: arn:aws:personalize:eu-west-1:123456789012:campaign/rerank
                filter-arn: %s
                filter-exclude-parameter: EXCLUDED
                context:
                  DEVICE_COUNTRY: country
                  LOCALE: Language
                metadata-columns:
                  ITEMS: [TITLE, GENRE]
                promotions:
                  - name: spring-sale
                    percent: 20
                    filter-arn: arn:aws:personalize:eu-west-1:123456789012:filter/sale
                model-version: home-2026-11
                timeout: 120ms
                connect-timeout: 50ms
                max-connections: 8
                pool-wait: 5ms
                """.formatted(HOME, FILTER));

        assertThat(config.region()).isEqualTo("eu-west-1");
        assertThat(config.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9191"));
        assertThat(config.arns()).containsOnlyKeys("home", "pdp");
        assertThat(PersonalizeConfig.isRecommender(config.arns().get("pdp"))).isTrue();
        assertThat(PersonalizeConfig.isRecommender(config.arns().get("home"))).isFalse();
        assertThat(config.rankingCampaignArn()).endsWith(":campaign/rerank");
        assertThat(config.filterArn()).isEqualTo(FILTER);
        assertThat(config.filterExcludeParameter()).isEqualTo("EXCLUDED");
        assertThat(config.context()).containsOnly(Map.entry("DEVICE_COUNTRY", ContextField.COUNTRY),
                                                  Map.entry("LOCALE", ContextField.LANGUAGE));
        assertThat(config.metadataColumns()).containsOnly(Map.entry("ITEMS", List.of("TITLE", "GENRE")));
        assertThat(config.promotions()).containsExactly(
                new Promotion("spring-sale", 20, "arn:aws:personalize:eu-west-1:123456789012:filter/sale"));
        assertThat(config.modelVersion()).isEqualTo("home-2026-11");
        assertThat(config.http()).isEqualTo(new HttpClientConfig(Duration.ofMillis(50), Duration.ofMillis(120), 8,
                                                                 Duration.ofMillis(5)));
    }

    @Test
    void contextFieldsComeFromTheRequest() {
        RecommendationRequest request = new RecommendationRequest("u1", "home", 10, java.util.Set.of(), "de", "DE", null);
        assertThat(ContextField.COUNTRY.value(request)).isEqualTo("DE");
        assertThat(ContextField.LANGUAGE.value(request)).isEqualTo("de");
    }

    @Test
    void flatOverridesReachTheMaps() {
        // As system properties or environment variables set them: one key per value.
        Config root = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of("sources.personalize.arns.home", HOME,
                                                     "sources.personalize.arns.cart", HOME.replace("home", "cart"),
                                                     "sources.personalize.metadata-columns.ITEMS", "TITLE,PRICE",
                                                     "sources.personalize.promotions.0.name", "sale",
                                                     "sources.personalize.promotions.0.percent", "10",
                                                     "sources.personalize.promotions.0.filter-arn", FILTER)))
                .build();
        PersonalizeConfig config = PersonalizeConfig.create(SourceId.of("personalize"),
                                                            Settings.of(root.get("sources.personalize")));
        assertThat(config.arns()).containsOnlyKeys("home", "cart");
        assertThat(config.metadataColumns()).containsEntry("ITEMS", List.of("TITLE", "PRICE"));
        assertThat(config.promotions()).containsExactly(new Promotion("sale", 10, FILTER));
    }

    @Test
    void aRankingCampaignAloneIsAReRanker() {
        PersonalizeConfig config = read("ranking-campaign-arn: " + HOME);
        assertThat(config.arns()).isEmpty();
        assertThat(config.rankingCampaignArn()).isEqualTo(HOME);
    }

    @Test
    void badValuesAreReportedWithTheirAbsoluteKeys() {
        String arns = "arns: {home: " + HOME + "}\n";
        assertProblem("region: Ireland\n" + arns,
                      "sources.personalize.region: must be an AWS region such as eu-west-1");
        assertProblem("endpoint: localhost:9191\n" + arns,
                      "sources.personalize.endpoint: must be an absolute http(s) URL with a host");
        assertProblem("kind: personalize\n", "sources.personalize.arns: must map at least one surface");
        assertProblem("arns: {home: campaign/home}\n",
                      "sources.personalize.arns.home: must be a Personalize ARN such as");
        assertProblem("arns: {home: {arn: x}}\n", "sources.personalize.arns.home: must be a single value, not a section");
        assertProblem("arns: " + HOME + "\n", "sources.personalize.arns: must be a map of names to values");
        assertProblem(arns + "ranking-campaign-arn: arn:aws:personalize:eu-west-1:1:recommender/r\n",
                      "sources.personalize.ranking-campaign-arn: must be a campaign ARN");
        assertProblem(arns + "filter-exclude-parameter: EXCLUDED\n",
                      "sources.personalize.filter-exclude-parameter: needs filter-arn");
        assertProblem(arns + "filter-arn: " + FILTER + "\nfilter-exclude-parameter: $EXCLUDED\n",
                      "sources.personalize.filter-exclude-parameter: must be the filter's placeholder name");
        assertProblem(arns + "context: {DEVICE_COUNTRY: city}\n",
                      "sources.personalize.context.DEVICE_COUNTRY: must be country or language (was 'city')");
        assertProblem(arns + "context: {DEVICE-COUNTRY: country}\n",
                      "sources.personalize.context.DEVICE-COUNTRY: a context key must be");
        assertProblem(arns + "metadata-columns: {ITEMS: [A, B, C, D, E, F, G, H, I, J, K]}\n",
                      "sources.personalize.metadata-columns.ITEMS: must name 1..10 columns (was 11)");
        assertProblem(arns + "promotions: [{name: sale, percent: 120, filter-arn: " + FILTER + "}]\n",
                      "sources.personalize.promotions.0.percent: must be 1..100 (was 120)");
        assertProblem(arns + "promotions: [{name: sale, percent: 10}]\n",
                      "sources.personalize.promotions.0.filter-arn: must be set to a Personalize ARN");
        assertProblem(arns + "promotions: [{name: sale, percent: 10, filter-arn: " + FILTER + ", filter: x}]\n",
                      "sources.personalize.promotions.0.filter: unknown setting");
        assertProblem(arns + "promotions: {sale: {percent: 10}}\n",
                      "sources.personalize.promotions: must be a list of sections");
        assertProblem(arns + "timeout: -5ms\n", "sources.personalize.timeout: must be a positive duration (was -5ms)");
        assertProblem(arns + "arn: " + HOME + "\n", "sources.personalize.arn: unknown setting");
    }

    private static void assertProblem(String yaml, String problem) {
        assertThatThrownBy(() -> read(yaml)).isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).startsWith(problem)));
    }

    private static PersonalizeConfig read(String yaml) {
        String indented = "sources:\n  personalize:\n" + yaml.lines().map(line -> "    " + line + "\n")
                .reduce("", String::concat);
        Config root = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(indented, MediaTypes.create("application/x-yaml")))
                .build();
        Settings node = Settings.of(root.get("sources.personalize"));
        node.string("kind", null); // read by the composition root, which picks the record by it
        return PersonalizeConfig.create(SourceId.of(node.name()), node);
    }
}

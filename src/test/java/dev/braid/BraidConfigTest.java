package dev.braid;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.braid.cache.CacheConfig;
import dev.braid.config.HttpClientConfig;
import dev.braid.config.InvalidConfigException;
import dev.braid.config.OpenSearchConfig;
import dev.braid.config.ServerConfig;
import dev.braid.config.Settings;
import dev.braid.recommend.Explanation;
import dev.braid.recommend.RecommendationsConfig;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceTraits;
import dev.braid.recommend.source.microservice.MicroserviceConfig;
import dev.braid.redis.RedisConfig;
import dev.braid.resilience.GuardConfig;
import dev.braid.search.SearchConfig;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BraidConfigTest {

    @Test
    void applicationYamlIsValidAndItsValuesAreTheCodeDefaults() {
        BraidConfig fromFile = BraidConfig.create(TestConfigs.config(Map.of()));
        Settings empty = Settings.of(Config.empty());

        assertThat(fromFile.server()).isEqualTo(ServerConfig.create(empty));
        assertThat(fromFile.recommendations()).isEqualTo(RecommendationsConfig.create(Settings.of(Config.empty())));
        MicroserviceConfig trending = (MicroserviceConfig) fromFile.sources().get(SourceId.of("trending"));
        assertThat(trending.http()).isEqualTo(HttpClientConfig.read(Settings.of(Config.empty()), Duration.ofMillis(250)));
        assertThat(fromFile.search()).isEqualTo(SearchConfig.create(Settings.of(Config.empty())));
        assertThat(fromFile.cache()).isEqualTo(CacheConfig.create(Settings.of(Config.empty())));
        assertThat(fromFile.redis()).isEqualTo(RedisConfig.create(Settings.of(Config.empty())));
        assertThat(fromFile.surfaces()).containsOnlyKeys("home");
        assertThat(fromFile.surfaces().get("home").budget()).isEqualTo(Duration.ofMillis(150));
        assertThat(fromFile.guards().get(SourceId.of("trending")))
                .isEqualTo(GuardConfig.read(Settings.of(Config.empty()), Duration.ofMillis(250)));
    }

    @Test
    void theDownstreamsExampleIsValidAndNamesEveryKind() {
        BraidConfig config = BraidConfig.create(io.helidon.config.Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(io.helidon.config.ConfigSources.file("config/downstreams.yaml"),
                         io.helidon.config.ConfigSources.file("config/application.yaml"))
                .disableCaching()
                .build());
        assertThat(config.sources().values()).extracting(source -> source.getClass().getSimpleName())
                .contains("MicroserviceConfig", "PersonalizeConfig", "DatabricksConfig", "ContentConfig");
        assertThat(config.sources().get(SourceId.of("databricks")).toString()).doesNotContain("set-through-the-environment");
        assertThat(config.sources().get(SourceId.of("lakehouse")).toString()).contains("ServicePrincipal[clientId=")
                .doesNotContain("set-through-the-environment");
        assertThat(config.guards().get(SourceId.of("databricks")).rateLimit()).isEqualTo(50);
    }

    @Test
    void guardSettingsAreCheckedLikeAnyOther() {
        assertProblems(Map.of("sources.trending.breaker.volum", "5"),
                       "sources.trending.breaker.volum: unknown setting; known here: volume, failure-ratio, open-for, probes, "
                       + "caller-failures");
        assertProblems(Map.of("sources.trending.retry.attempts", "0"),
                       "sources.trending.retry.attempts: must be 1..10 (was 0)");
        assertProblems(Map.of("sources.trending.hedge-after", "soon"),
                       "sources.trending.hedge-after: must be a duration such as 150ms, 2s, 5m or PT0.15S (was 'soon')");
        assertProblems(Map.of("surfaces.home.rerank", "nobody"),
                       "surfaces.home.rerank: unknown source 'nobody'; configured sources: trending");
        assertProblems(Map.of("surfaces.home.rerank", "trending"),
                       "surfaces.home.rerank: 'trending' cannot re-rank; name a personalize source with a ranking-campaign-arn");
    }

    @Test
    void sourceTraitsAreReadCheckedAndDefaultedByKind() {
        BraidConfig config = BraidConfig.create(TestConfigs.config(Map.of(
                "sources.trending.item-ids.pattern", "sku-(.+)", "sources.trending.item-ids.replacement", "i$1")));
        SourceTraits trending = config.traits().get(SourceId.of("trending"));
        assertThat(trending.explanation()).isEqualTo(Explanation.TRENDING);
        assertThat(trending.canonicalId().apply("sku-42")).isEqualTo("i42");
        assertThat(trending.canonicalId().apply("i7")).isEqualTo("i7");
        BraidConfig defaulted = BraidConfig.create(TestConfigs.config(Map.of("sources.trending.explain", "")));
        assertThat(defaulted.traits().get(SourceId.of("trending")).explanation()).isEqualTo(Explanation.POPULAR);

        assertProblems(Map.of("sources.trending.explain", "because"),
                       "sources.trending.explain: must be one of for-you, trending, popular, similar, editorial"
                       + " (was 'because')");
        assertProblems(Map.of("sources.trending.item-ids.pattern", "sku-("),
                       "sources.trending.item-ids.pattern: is not a regular expression: Unclosed group");
        assertProblems(Map.of("sources.trending.item-ids.pattern", "sku-(.+)"),
                       "sources.trending.item-ids.replacement: must be set with pattern");
    }

    @Test
    void negativeTimeoutNamesItsKeyAndTheRule() {
        assertProblems(Map.of("sources.trending.timeout", "-5ms"),
                       "sources.trending.timeout: must be a positive duration (was -5ms)");
    }

    @Test
    void unknownSourceInAPlanNamesThePlanAndTheConfiguredSources() {
        assertProblems(Map.of("surfaces.home.sources.personalize.weight", "2"),
                       "surfaces.home.sources.personalize: unknown source 'personalize'; configured sources: trending");
    }

    @Test
    void malformedUrlIsRejected() {
        assertProblems(Map.of("sources.trending.url", "trending:8080/v1"),
                       "sources.trending.url: must be an absolute http(s) URL with a host (was 'trending:8080/v1')");
    }

    @Test
    void misspelledKeyIsRejectedInsteadOfFallingBackToTheDefault() {
        assertThatThrownBy(() -> BraidConfig.create(TestConfigs.config(Map.of("server.admin-prot", "9191"))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("server.admin-prot: unknown setting; known here: host, port, admin-port");
    }

    @Test
    void unreadableValuesNameTheirKey() {
        assertProblems(Map.of("surfaces.home.budget", "fast"),
                       "surfaces.home.budget: must be a duration such as 150ms, 2s, 5m or PT0.15S (was 'fast')");
        assertProblems(Map.of("server.port", "eighty"), "server.port: must be a whole number (was 'eighty')");
        assertProblems(Map.of("surfaces.home.sources.trending.required", "yes"),
                       "surfaces.home.sources.trending.required: must be true or false (was 'yes')");
    }

    @Test
    void rulesAcrossAreasAreChecked() {
        assertProblems(Map.of("recommendations.reserve", "150ms"),
                       "recommendations.reserve: must be shorter than every surface budget (surfaces.home.budget is 150ms,"
                       + " reserve 150ms)");
        assertProblems(Map.of("recommendations.default-surface", "cart"),
                       "recommendations.default-surface: no surface 'cart' is configured; configured surfaces: home");
        assertProblems(Map.of("server.port", "9090"), "server.admin-port: must differ from port (both 9090)");
        assertProblems(Map.of("sources.trending.kind", "carrier-pigeon"),
                       "sources.trending.kind: unknown kind 'carrier-pigeon'; known kinds: microservice, personalize, databricks, opensearch");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> BraidConfig.create(TestConfigs.config(Map.of(
                "server.shutdown-grace", "0s",
                "surfaces.home.candidates", "0"))))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "server.shutdown-grace: must be a positive duration (was 0ms)",
                        "surfaces.home.candidates: must be 1..500 (was 0)"));
    }

    @Test
    void aSourceThatIsInvalidIsNotAlsoReportedAsUnknownInThePlans() {
        assertThatThrownBy(() -> BraidConfig.create(TestConfigs.config(Map.of("sources.trending.max-connections", "0"))))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "sources.trending.max-connections: must be at least 1 (was 0)"));
    }

    @Test
    void environmentVariablesOverrideWithHelidonsMapping() {
        BraidConfig config = BraidConfig.create(TestConfigs.withEnvironment(Map.of(
                "SERVER_ADMIN_dash_PORT", "9191",
                "SOURCES_TRENDING_TIMEOUT", "75ms",
                "SURFACES_HOME_FALLBACK_dash_ITEMS", "i3,i1,i2")));

        assertThat(config.server().adminPort()).isEqualTo(9191);
        assertThat(((MicroserviceConfig) config.sources().get(SourceId.of("trending"))).http().timeout())
                .isEqualTo(Duration.ofMillis(75));
        assertThat(config.surfaces().get("home").fallbackItems()).containsExactly("i3", "i1", "i2");
    }

    @Test
    void openSearchSigningIsOneOfTwoWaysToSignInAndReadsTheEnvironment() {
        assertProblems(Map.of("opensearch.sigv4.service", "s3"),
                       "opensearch.sigv4.service: must be es (Amazon OpenSearch Service), aoss (OpenSearch Serverless) or"
                       + " empty for no signing (was 's3')");
        assertProblems(Map.of("opensearch.sigv4.region", "eu-west-1"),
                       "opensearch.sigv4.region: signs nothing without sigv4.service (es or aoss)");
        assertProblems(Map.of("opensearch.sigv4.service", "es", "opensearch.sigv4.region", "Ireland"),
                       "opensearch.sigv4.region: must be an AWS region such as eu-west-1, or empty for the SDK's region"
                       + " chain (was 'Ireland')");
        assertProblems(Map.of("opensearch.sigv4.service", "es", "opensearch.username", "braid", "opensearch.password", "pw"),
                       "opensearch.sigv4.service: basic auth (username/password) and SigV4 are two ways to sign in: set"
                       + " one of them");

        BraidConfig config = BraidConfig.create(TestConfigs.withEnvironment(Map.of(
                "OPENSEARCH_SIGV4_SERVICE", "aoss", "OPENSEARCH_SIGV4_REGION", "us-east-1")));
        assertThat(config.openSearch().sigV4()).isEqualTo(new OpenSearchConfig.SigV4("aoss", "us-east-1"));
        assertThat(config.openSearch().sigV4().enabled()).isTrue();
        assertThat(BraidConfig.create(TestConfigs.config(Map.of())).openSearch().sigV4().enabled()).isFalse();
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        Config config = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of("a", "150ms", "b", "2s", "c", "5m", "d", "PT0.25S", "e", "1h")))
                .build();
        Settings settings = Settings.of(config);
        assertThat(List.of("a", "b", "c", "d", "e")).map(key -> settings.duration(key, null)).containsExactly(
                Duration.ofMillis(150), Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofMillis(250),
                Duration.ofHours(1));
    }

    @Test
    void theAdminTokenNeverAppearsInTheRedactedView() {
        BraidConfig config = BraidConfig.create(TestConfigs.config(Map.of("server.admin-token", "s3cret-token")));
        assertThat(config.redacted().toString()).doesNotContain("s3cret-token").contains("admin-token=***");
        assertThat(config.toString()).doesNotContain("s3cret-token");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theEffectiveConfigurationIsKeyedLikeTheFileWithEveryDefaultInForce() {
        BraidConfig config = BraidConfig.create(TestConfigs.config(Map.of(
                "server.port", "8181", "redis.url", "redis://braid:hunter2@redis:6379",
                "search.cursor-secret", "a-cursor-secret-of-enough-length", "search.previous-cursor-secrets", "old-secret-number-1,old-secret-number-2")));

        Map<String, Object> shown = config.redacted();
        Map<String, Object> server = (Map<String, Object>) shown.get("server");
        assertThat(server).containsEntry("port", 8181).containsEntry("shutdown-grace", "10s");
        assertThat((Map<String, Object>) server.get("connections")).containsEntry("max", 10_000)
                .containsEntry("idle-timeout", "30s");
        assertThat((Map<String, Object>) shown.get("redis")).containsEntry("url", "redis://***@redis:6379");
        Map<String, Object> search = (Map<String, Object>) shown.get("search");
        assertThat(search).containsEntry("cursor-secret", "***")
                .containsEntry("previous-cursor-secrets", List.of("***", "***"));
        assertThat(shown.toString()).doesNotContain("hunter2").doesNotContain("a-cursor-secret").doesNotContain("old-secret")
                .doesNotContain("Config[");
        assertThat((Map<String, Object>) shown.get("sources")).containsKey("trending");
    }

    private static void assertProblems(Map<String, String> overrides, String problem) {
        assertThatThrownBy(() -> BraidConfig.create(TestConfigs.config(overrides)))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).contains(problem));
    }
}

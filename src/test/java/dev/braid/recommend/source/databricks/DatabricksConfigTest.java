package dev.braid.recommend.source.databricks;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.braid.config.HttpClientConfig;
import dev.braid.config.InvalidConfigException;
import dev.braid.config.Settings;
import dev.braid.recommend.SourceId;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabricksConfigTest {
    private static final SourceId ID = SourceId.of("databricks");

    @Test
    void readsEverySettingWithTheSharedHttpDefaults() {
        DatabricksConfig config = create(Map.of("workspace", "https://adb-1.7.azuredatabricks.net/",
                                                "endpoint", "braid-recs", "token", "dapi-secret", "model-version", "12"));

        assertThat(config.workspace()).isEqualTo(URI.create("https://adb-1.7.azuredatabricks.net/"));
        assertThat(config.invocations())
                .isEqualTo(URI.create("https://adb-1.7.azuredatabricks.net/serving-endpoints/braid-recs/invocations"));
        assertThat(config.credentials()).isEqualTo(new DatabricksConfig.AccessToken("dapi-secret"));
        assertThat(config.modelVersion()).isEqualTo("12");
        assertThat(config.perUser()).isTrue();
        assertThat(config.http()).isEqualTo(new HttpClientConfig(Duration.ofMillis(100), Duration.ofMillis(300), 64,
                                                                 Duration.ofMillis(20)));
    }

    @Test
    void modelVersionIsOptional() {
        assertThat(create(Map.of("workspace", "http://127.0.0.1:1", "endpoint", "e", "token", "t")).modelVersion()).isNull();
    }

    @Test
    void requiredKeysAreReportedWithTheirAbsoluteKeys() {
        assertProblem(Map.of("endpoint", "braid-recs", "token", "t"), "sources.databricks.workspace: must be set");
        assertProblem(Map.of("workspace", "http://127.0.0.1:1", "token", "t"), "sources.databricks.endpoint: must be set");
        assertProblem(Map.of("workspace", "http://127.0.0.1:1", "endpoint", "braid-recs"),
                      "sources.databricks.token: must be set, through the environment variable SOURCES_DATABRICKS_TOKEN"
                      + " (or set client-id and client-secret, SOURCES_DATABRICKS_CLIENT_dash_SECRET, for a service"
                      + " principal)");
    }

    @Test
    void anEndpointThatIsNotOnePathSegmentIsRejected() {
        assertProblem(Map.of("workspace", "http://127.0.0.1:1", "endpoint", "recs/../admin", "token", "t"),
                      "sources.databricks.endpoint: must be a serving endpoint name");
        assertProblem(Map.of("workspace", "http://127.0.0.1:1", "endpoint", "recs?x=1", "token", "t"),
                      "sources.databricks.endpoint: must be a serving endpoint name");
    }

    @Test
    void aWorkspaceThatIsNotAUrlOrHasAQueryIsRejected() {
        assertProblem(Map.of("workspace", "adb-1.azuredatabricks.net", "endpoint", "e", "token", "t"),
                      "sources.databricks.workspace: must be an absolute http(s) URL with a host");
        assertProblem(Map.of("workspace", "https://adb-1.azuredatabricks.net/?o=1", "endpoint", "e", "token", "t"),
                      "sources.databricks.workspace: must be the workspace URL without a query or fragment");
    }

    @Test
    void misspelledKeysAreRejected() {
        assertProblem(Map.of("workspace", "http://127.0.0.1:1", "endpoint", "e", "token", "t", "model_version", "3"),
                      "sources.databricks.model_version: unknown setting");
    }

    @Test
    void aServicePrincipalSignsInWithItsClientIdAndSecretAtTheWorkspacesTokenEndpoint() {
        DatabricksConfig config = create(Map.of("workspace", "https://adb-1.7.azuredatabricks.net/", "endpoint", "e",
                                                "client-id", "6f0c2a1e-braid", "client-secret", "dose-s3cret"));

        assertThat(config.credentials()).isEqualTo(new DatabricksConfig.ServicePrincipal("6f0c2a1e-braid", "dose-s3cret"));
        assertThat(config.tokenEndpoint()).isEqualTo(URI.create("https://adb-1.7.azuredatabricks.net/oidc/v1/token"));
        assertThat(config.toString()).contains("clientId=6f0c2a1e-braid").doesNotContain("dose-s3cret");
    }

    @Test
    void exactlyOneWayToSignInIsAccepted() {
        assertProblem(Map.of("workspace", "http://127.0.0.1:1", "endpoint", "e", "token", "t", "client-id", "c",
                             "client-secret", "s"),
                      "sources.databricks.token: a token and a service principal (client-id) are two ways to sign in");
        assertProblem(Map.of("workspace", "http://127.0.0.1:1", "endpoint", "e", "client-id", "c"),
                      "sources.databricks.client-secret: must be set with client-id, through the environment variable"
                      + " SOURCES_DATABRICKS_CLIENT_dash_SECRET");
        assertProblem(Map.of("workspace", "http://127.0.0.1:1", "endpoint", "e", "client-secret", "s"),
                      "sources.databricks.client-id: must be set with client-secret");
    }

    @Test
    void theTokenNeverAppearsInToString() {
        DatabricksConfig config = create(Map.of("workspace", "http://127.0.0.1:1", "endpoint", "braid-recs",
                                                "token", "dapi-0123456789abcdef"));

        assertThat(config.toString()).doesNotContain("dapi-0123456789abcdef").contains("token=***")
                .contains("endpoint=braid-recs").contains("workspace=http://127.0.0.1:1");
    }

    private static DatabricksConfig create(Map<String, String> settings) {
        Map<String, String> keyed = new LinkedHashMap<>();
        settings.forEach((key, value) -> keyed.put("sources.databricks." + key, value));
        Config root = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(keyed)).build();
        return DatabricksConfig.create(ID, Settings.of(root.get("sources").get("databricks")));
    }

    private static void assertProblem(Map<String, String> settings, String problem) {
        assertThatThrownBy(() -> create(settings))
                .isInstanceOfSatisfying(InvalidConfigException.class,
                                        e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(problem)));
    }
}

package dev.braid.recommend.source.databricks;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

import dev.braid.config.HttpClientConfig;
import dev.braid.config.Rule;
import dev.braid.config.Settings;
import dev.braid.recommend.SourceConfig;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceKind;

/**
 * A Databricks Model Serving endpoint ({@code kind: databricks}) whose model ranks items for a signed-in user. The
 * {@code kind} key itself is read by the composition root, which picks this record by it.
 *
 * @param workspace    the workspace URL, e.g. {@code https://adb-1234567890123456.7.azuredatabricks.net}
 * @param endpoint     the serving endpoint's name; Braid calls {@code {workspace}/serving-endpoints/{endpoint}/invocations}
 * @param token        the bearer token (a personal access or service principal token); a secret, set it through the
 *                     environment ({@code SOURCES_<NAME>_TOKEN}) and never in a file
 * @param modelVersion the model version reported when the endpoint's answer names none, or {@code null}
 * @param http         its connection pool and timeouts
 */
public record DatabricksConfig(SourceId id, URI workspace, String endpoint, String token, String modelVersion,
                               HttpClientConfig http) implements SourceConfig {

    // Databricks allows letters, digits, dashes and underscores in endpoint names; anything else would change the path.
    private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9_-]{1,63}");

    public DatabricksConfig {
        Rule.check(workspace != null, "workspace",
                   "must be set to the workspace URL, e.g. https://adb-1234567890123456.7.azuredatabricks.net");
        Rule.check(workspace.getRawQuery() == null && workspace.getRawFragment() == null, "workspace",
                   "must be the workspace URL without a query or fragment (was '" + workspace + "')");
        Rule.check(endpoint != null && !endpoint.isBlank(), "endpoint", "must be set to the serving endpoint's name");
        Rule.check(ENDPOINT.matcher(endpoint).matches(), "endpoint",
                   "must be a serving endpoint name: 1..63 letters, digits, dashes or underscores (was '" + endpoint + "')");
        Rule.check(token != null && !token.isBlank(), "token",
                   "must be set, through the environment variable SOURCES_" + id.name().toUpperCase(java.util.Locale.ROOT)
                   .replace("-", "_dash_") + "_TOKEN");
        modelVersion = modelVersion == null || modelVersion.isBlank() ? null : modelVersion.trim();
    }

    @Override
    public SourceKind<DatabricksConfig> kind() {
        return DatabricksKind.KIND;
    }

    public static DatabricksConfig create(SourceId id, Settings node) {
        return node.bind(() -> new DatabricksConfig(id, node.url("workspace", null), node.string("endpoint", null),
                                                    node.string("token", null), node.string("model-version", null),
                                                    HttpClientConfig.read(node, DatabricksKind.DEFAULT_TIMEOUT)));
    }

    /** Model Serving's scoring URL of this endpoint. */
    public URI invocations() {
        return URI.create(endpointUrl() + "/invocations");
    }

    /**
     * The scoring URL of one model served by this endpoint (an experiment's), bypassing the endpoint's traffic split;
     * the name is URL-encoded, so it cannot leave the endpoint's path.
     */
    public URI invocations(String servedModel) {
        return URI.create(endpointUrl() + "/served-models/"
                          + java.net.URLEncoder.encode(servedModel, java.nio.charset.StandardCharsets.UTF_8)
                                  .replace("+", "%20")
                          + "/invocations");
    }

    private String endpointUrl() {
        return workspace.toString().replaceAll("/+$", "") + "/serving-endpoints/" + endpoint;
    }

    /** Every model answers per user. */
    @Override
    public boolean perUser() {
        return true;
    }

    @Override
    public String toString() {
        // The token is a secret: never in logs or /admin/config.
        return "DatabricksConfig[id=" + id + ", workspace=" + workspace + ", endpoint=" + endpoint + ", token=***"
               + ", modelVersion=" + modelVersion + ", http=" + http + "]";
    }
}

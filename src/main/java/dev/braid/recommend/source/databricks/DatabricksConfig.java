package dev.braid.recommend.source.databricks;

import java.net.URI;
import java.util.Locale;
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
 * @param credentials  how Braid signs in: a personal access token, or a service principal's OAuth client credentials
 * @param modelVersion the model version reported when the endpoint's answer names none, or {@code null}
 * @param http         its connection pool and timeouts
 */
public record DatabricksConfig(SourceId id, URI workspace, String endpoint, Credentials credentials, String modelVersion,
                               HttpClientConfig http) implements SourceConfig {

    // Databricks allows letters, digits, dashes and underscores in endpoint names; anything else would change the path.
    private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9_-]{1,63}");
    /** What a service principal's token is asked for: the workspace's REST APIs, Model Serving among them. */
    static final String SCOPE = "all-apis";

    /** How Braid signs in to the workspace. Both are secrets: set them through the environment, never in a file. */
    public sealed interface Credentials {
    }

    /** A personal access token (or any token the workspace accepts as it is), sent as the bearer token of every call. */
    public record AccessToken(String token) implements Credentials {
        @Override
        public String toString() {
            return "AccessToken[token=***]";
        }
    }

    /**
     * A service principal's OAuth client credentials (machine-to-machine): Braid exchanges them at the workspace's
     * {@code /oidc/v1/token} endpoint for short-lived access tokens, and sends those.
     */
    public record ServicePrincipal(String clientId, String clientSecret) implements Credentials {
        @Override
        public String toString() {
            return "ServicePrincipal[clientId=" + clientId + ", clientSecret=***]";
        }
    }

    public DatabricksConfig {
        Rule.check(workspace != null, "workspace",
                   "must be set to the workspace URL, e.g. https://adb-1234567890123456.7.azuredatabricks.net");
        Rule.check(workspace.getRawQuery() == null && workspace.getRawFragment() == null, "workspace",
                   "must be the workspace URL without a query or fragment (was '" + workspace + "')");
        Rule.check(endpoint != null && !endpoint.isBlank(), "endpoint", "must be set to the serving endpoint's name");
        Rule.check(ENDPOINT.matcher(endpoint).matches(), "endpoint",
                   "must be a serving endpoint name: 1..63 letters, digits, dashes or underscores (was '" + endpoint + "')");
        Rule.check(credentials != null, "token", "must be set");
        modelVersion = modelVersion == null || modelVersion.isBlank() ? null : modelVersion.trim();
    }

    /** A source signing in with a personal access token. */
    public DatabricksConfig(SourceId id, URI workspace, String endpoint, String token, String modelVersion,
                            HttpClientConfig http) {
        this(id, workspace, endpoint, new AccessToken(token), modelVersion, http);
    }

        @Override
    public SourceKind<DatabricksConfig> kind() {
        return DatabricksKind.KIND;
    }

    public static DatabricksConfig create(SourceId id, Settings node) {
        return node.bind(() -> new DatabricksConfig(id, node.url("workspace", null), node.string("endpoint", null),
                                                    credentials(id, node), node.string("model-version", null),
                                                    HttpClientConfig.read(node, DatabricksKind.DEFAULT_TIMEOUT)));
    }

    /** Exactly one way to sign in: a token, or a service principal's client id and secret. */
    private static Credentials credentials(SourceId id, Settings node) {
        String token = blankAsNull(node.string("token", null));
        String clientId = blankAsNull(node.string("client-id", null));
        String clientSecret = blankAsNull(node.string("client-secret", null));
        String variable = "SOURCES_" + id.name().toUpperCase(Locale.ROOT).replace("-", "_dash_") + "_";
        if (clientId == null && clientSecret == null) {
            Rule.check(token != null, "token",
                       "must be set, through the environment variable " + variable + "TOKEN (or set client-id and "
                       + "client-secret, " + variable + "CLIENT_dash_SECRET, for a service principal)");
            return new AccessToken(token);
        }
        Rule.check(token == null, "token",
                   "a token and a service principal (client-id) are two ways to sign in: set one of them");
        Rule.check(clientId != null, "client-id", "must be set with client-secret: the service principal's application id");
        Rule.check(clientSecret != null, "client-secret",
                   "must be set with client-id, through the environment variable " + variable + "CLIENT_dash_SECRET");
        return new ServicePrincipal(clientId, clientSecret);
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The workspace's OAuth token endpoint, where a service principal's client credentials buy access tokens. */
    public URI tokenEndpoint() {
        return URI.create(workspace.toString().replaceAll("/+$", "") + "/oidc/v1/token");
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
        // The token and the client secret are secrets: never in logs or /admin/config.
        return "DatabricksConfig[id=" + id + ", workspace=" + workspace + ", endpoint=" + endpoint + ", credentials="
               + credentials + ", modelVersion=" + modelVersion + ", http=" + http + "]";
    }
}

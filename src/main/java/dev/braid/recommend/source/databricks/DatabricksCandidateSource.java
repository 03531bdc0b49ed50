package dev.braid.recommend.source.databricks;

import java.time.Clock;
import java.time.Duration;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.braid.config.InvalidConfigException;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.recommend.source.PooledHttpClient;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * A model behind Databricks Model Serving: {@code POST {workspace}/serving-endpoints/{endpoint}/invocations} with one
 * row in the {@code dataframe_records} format,
 * {@code {"dataframe_records": [{"user_id": "u1", "surface": "home", "num_items": 100, "exclude": [...], "country": "DE",
 * "language": "de"}]}} (unknown country and language left out), answered by one prediction
 * {@code {"item_ids": [...], "scores": [...], "model_version": "..."}} (see {@link Predictions}).
 */
public final class DatabricksCandidateSource implements CandidateSource {
    private static final JsonMapper JSON = new JsonMapper();

    private final DatabricksConfig config;
    private final PooledHttpClient http;
    private final Bearer bearer;

    public DatabricksCandidateSource(DatabricksConfig config) {
        this(config, Clock.systemUTC());
    }

    /** With {@code clock} deciding when a service principal's token is refreshed. */
    DatabricksCandidateSource(DatabricksConfig config, Clock clock) {
        this.config = config;
        this.http = new PooledHttpClient(config.id(), config.http());
        this.bearer = switch (config.credentials()) {
            case DatabricksConfig.AccessToken token -> new Bearer.Fixed(token.token());
            case DatabricksConfig.ServicePrincipal principal -> new ServicePrincipalTokens(config, principal, clock);
        };
    }

    /**
     * A service principal's first token, fetched at start-up: the workspace refusing its client credentials is a
     * setting to fix, named like a bad value; a workspace that does not answer yet is not (calls fetch a token later).
     */
    void checkCredentials(Duration wait) {
        if (bearer instanceof ServicePrincipalTokens tokens) {
            tokens.refusalAtStart(wait).ifPresent(refused -> {
                throw new InvalidConfigException("sources." + id() + ".client-secret", refused.getMessage());
            });
        }
    }

    @Override
    public SourceId id() {
        return config.id();
    }

    @Override
    public CandidateBatch fetch(CandidateQuery query) {
        if (query.request().anonymous()) {
            // The plan runs per-user sources for signed-in users only; a model of nobody has nothing to say.
            throw new SourceException(SourceStatus.ERROR, id() + " ranks for a user and was asked for an anonymous one");
        }
        String servedModel = query.model(id());
        HttpPost post = new HttpPost(servedModel == null ? config.invocations() : config.invocations(servedModel));
        String token = bearer.token(query.deadline());
        post.setHeader("Authorization", "Bearer " + token);
        post.setEntity(new StringEntity(body(query), ContentType.APPLICATION_JSON));
        PooledHttpClient.Response response = http.send(post, query.deadline());
        if (response.status() == 401 && bearer.refused(token)) {
            // A fetched token the workspace no longer takes (expired early, revoked): dropped, so a retry gets a new one.
            throw SourceException.transientError(id() + " refused its OAuth token (HTTP 401); a new one is fetched", null);
        }
        if (response.status() != 200) {
            throw response.failure(id());
        }
        return Predictions.parse(id(), response.body(), query.limit(),
                                 servedModel == null ? config.modelVersion() : servedModel);
    }

    /** Connection pool statistics, for tests and operators. */
    public PooledHttpClient http() {
        return http;
    }

    @Override
    public void close() {
        http.close();
        bearer.close();
    }

    static String body(CandidateQuery query) {
        RecommendationRequest request = query.request();
        ObjectNode root = JSON.createObjectNode();
        ObjectNode row = root.putArray("dataframe_records").addObject();
        row.put("user_id", request.user());
        row.put("surface", request.surface());
        row.put("num_items", query.limit());
        ArrayNode exclude = row.putArray("exclude");
        // Sorted, so the same request always sends the same body (easier to compare in logs and endpoint captures).
        new TreeSet<>(request.exclude()).forEach(exclude::add);
        if (request.country() != null) {
            row.put("country", request.country());
        }
        if (request.language() != null) {
            row.put("language", request.language());
        }
        return root.toString();
    }
}

package dev.braid.sim;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Databricks Model Serving: {@code POST /serving-endpoints/{name}/invocations} with a bearer token, accepting the four
 * input formats ({@code dataframe_records}, {@code dataframe_split}, {@code instances}, {@code inputs}) and answering
 * {@code {"predictions": [...]}}, one prediction per input row:
 * {@code {"item_ids": [...], "scores": [...], "model_version": "..."}}. Row fields: {@code user_id}, {@code surface},
 * optional {@code num_items} (default 20, at most 500) and {@code exclude}.
 *
 * <p>Bearer tokens are the personal access token it was made with, or OAuth access tokens it issued itself at
 * {@code POST /oidc/v1/token} to a service principal ({@link #servicePrincipal}) for the client-credentials grant (HTTP
 * basic client authentication, {@code grant_type=client_credentials}, {@code scope=all-apis}), as a workspace does.
 * Issued tokens expire after {@link #tokenLifetime} on the simulator's own clock; an expired or unknown token is a 401.
 */
public final class DatabricksSimulator extends HttpSimulator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INVOCATIONS = Pattern.compile("/serving-endpoints/([^/]+)(?:/served-models/([^/]+))?/invocations");
    private static final String TOKEN_PATH = "/oidc/v1/token";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> catalog;
    private final String token;
    private final Set<String> endpoints;
    private final String modelVersion;
    private final Map<String, String> clientSecrets = new ConcurrentHashMap<>();
    private final Map<String, Instant> issued = new ConcurrentHashMap<>();
    private final AtomicLong tokenRequests = new AtomicLong();
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile Clock clock = Clock.systemUTC();
    private volatile CountDownLatch tokenGate = new CountDownLatch(0);

    public DatabricksSimulator(List<String> catalog, Duration baseLatency, String token, Set<String> endpoints,
                               String modelVersion) {
        super("databricks", baseLatency);
        this.catalog = List.copyOf(catalog);
        this.token = token;
        this.endpoints = Set.copyOf(endpoints);
        this.modelVersion = modelVersion;
    }

    /** A service principal the token endpoint knows. */
    public DatabricksSimulator servicePrincipal(String clientId, String clientSecret) {
        clientSecrets.put(clientId, clientSecret);
        return this;
    }

    /** How long the tokens it issues from now on live ({@code expires_in}); 1 h, like a workspace's, by default. */
    public DatabricksSimulator tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
        return this;
    }

    /** The clock its tokens expire by. */
    public DatabricksSimulator clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Token requests received since it started (counted before they are answered, held or not). */
    public long tokenRequests() {
        return tokenRequests.get();
    }

    /** Token requests wait, unanswered, until {@link #answerTokenRequests()}. */
    public void holdTokenRequests() {
        tokenGate = new CountDownLatch(1);
    }

    public void answerTokenRequests() {
        tokenGate.countDown();
    }

    /** Forgets every token it issued, as a revoked service principal secret would make them worthless. */
    public void revokeTokens() {
        issued.clear();
    }

    @Override
    protected SimulatedAnswer answer(RecordedRequest request) {
        if (TOKEN_PATH.equals(request.path())) {
            return tokenAnswer(request);
        }
        String bearer = request.header("Authorization");
        if (bearer == null || !bearer.startsWith("Bearer ")) {
            return error(401, "UNAUTHENTICATED", "Credential was not sent or was of an unsupported type for this API.");
        }
        String presented = bearer.substring("Bearer ".length());
        Instant expires = issued.get(presented);
        if (!presented.equals(token) && expires == null) {
            return error(401, "UNAUTHENTICATED", "Invalid access token.");
        }
        if (expires != null && !clock.instant().isBefore(expires)) {
            return error(401, "UNAUTHENTICATED", "Token is expired.");
        }
        Matcher path = INVOCATIONS.matcher(request.path());
        if (!request.method().equals("POST") || !path.matches()) {
            return error(404, "ENDPOINT_NOT_FOUND", "no such route " + request.method() + " " + request.path());
        }
        if (!endpoints.contains(path.group(1))) {
            return error(404, "RESOURCE_DOES_NOT_EXIST", "Endpoint with name '" + path.group(1) + "' does not exist.");
        }
        // A served model answers with its own ranking and names itself as the version.
        String version = path.group(2) != null ? path.group(2) : modelVersion;
        List<Map<String, JsonNode>> rows;
        try {
            rows = rows(JSON.readTree(request.body()));
        } catch (IllegalArgumentException e) {
            return error(400, "BAD_REQUEST", e.getMessage());
        } catch (Exception e) {
            return error(400, "MALFORMED_REQUEST", "request body is not JSON");
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode predictions = answer.putArray("predictions");
        for (Map<String, JsonNode> row : rows) {
            String user = textOf(row.get("user_id"));
            if (user == null) {
                return error(400, "BAD_REQUEST", "every row needs user_id");
            }
            String surface = textOf(row.get("surface"));
            int count = row.containsKey("num_items") ? row.get("num_items").asInt(20) : 20;
            if (count < 1 || count > 500) {
                return error(400, "BAD_REQUEST", "num_items must be 1..500");
            }
            Set<String> exclude = new HashSet<>();
            if (row.get("exclude") != null) {
                row.get("exclude").forEach(id -> exclude.add(id.asText()));
            }
            ObjectNode prediction = predictions.addObject();
            ArrayNode ids = prediction.putArray("item_ids");
            ArrayNode scores = prediction.putArray("scores");
            for (DeterministicRanking.Ranked ranked : DeterministicRanking.rank(
                    "databricks:" + version, user, surface == null ? "home" : surface, catalog, count + exclude.size())) {
                if (ids.size() < count && !exclude.contains(ranked.itemId())) {
                    ids.add(ranked.itemId());
                    scores.add(Math.round(ranked.relevance() * 1e4) / 1e4);
                }
            }
            prediction.put("model_version", version);
        }
        return SimulatedAnswer.json(200, answer.toString());
    }

    /** The client-credentials grant of a workspace's OAuth server (RFC 6749 section 4.4), errors as in section 5.2. */
    private SimulatedAnswer tokenAnswer(RecordedRequest request) {
        tokenRequests.incrementAndGet();
        try {
            tokenGate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return oauthError(503, "temporarily_unavailable", "interrupted");
        }
        if (!request.method().equals("POST")) {
            return oauthError(405, "invalid_request", "the token endpoint takes POST");
        }
        String[] client = basic(request.header("Authorization"));
        if (client == null || !client[1].equals(clientSecrets.get(client[0]))) {
            return oauthError(401, "invalid_client", "Client authentication failed");
        }
        Map<String, String> form = StsSimulator.form(request);
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return oauthError(400, "unsupported_grant_type", "grant_type must be client_credentials");
        }
        if (!"all-apis".equals(form.get("scope"))) {
            return oauthError(400, "invalid_scope", "scope must be all-apis");
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String access = "eyJraWQi.sim-" + HexFormat.of().formatHex(bytes);
        Duration lifetime = tokenLifetime;
        issued.put(access, clock.instant().plus(lifetime));
        return SimulatedAnswer.json(200, JSON.createObjectNode().put("access_token", access).put("token_type", "Bearer")
                .put("expires_in", lifetime.toSeconds()).put("scope", "all-apis").toString());
    }

    private static String[] basic(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                                        StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static SimulatedAnswer oauthError(int status, String error, String description) {
        return SimulatedAnswer.json(status, JSON.createObjectNode().put("error", error)
                .put("error_description", description).toString());
    }

    /** The four input formats of Model Serving, reduced to rows of named values. */
    static List<Map<String, JsonNode>> rows(JsonNode body) {
        if (body.has("dataframe_records")) {
            return records(body.get("dataframe_records"), "dataframe_records");
        }
        if (body.has("instances")) {
            return records(body.get("instances"), "instances");
        }
        if (body.has("dataframe_split")) {
            JsonNode split = body.get("dataframe_split");
            JsonNode columns = split.path("columns");
            JsonNode data = split.path("data");
            if (!columns.isArray() || !data.isArray()) {
                throw new IllegalArgumentException("dataframe_split needs \"columns\" and \"data\" arrays");
            }
            List<Map<String, JsonNode>> rows = new ArrayList<>();
            for (JsonNode values : data) {
                if (values.size() != columns.size()) {
                    throw new IllegalArgumentException("each data row must have one value per column");
                }
                Map<String, JsonNode> row = new LinkedHashMap<>();
                for (int c = 0; c < columns.size(); c++) {
                    row.put(columns.get(c).asText(), values.get(c));
                }
                rows.add(row);
            }
            return rows;
        }
        if (body.has("inputs")) {
            JsonNode inputs = body.get("inputs");
            if (inputs.isArray()) {
                return records(inputs, "inputs");
            }
            // Columnar: {"user_id": ["u1", "u2"], "surface": ["home", "home"]}.
            List<Map<String, JsonNode>> rows = new ArrayList<>();
            inputs.properties().forEach(column -> {
                for (int r = 0; r < column.getValue().size(); r++) {
                    while (rows.size() <= r) {
                        rows.add(new LinkedHashMap<>());
                    }
                    rows.get(r).put(column.getKey(), column.getValue().get(r));
                }
            });
            return rows;
        }
        throw new IllegalArgumentException("expected one of dataframe_records, dataframe_split, instances, inputs");
    }

    private static List<Map<String, JsonNode>> records(JsonNode records, String format) {
        if (!records.isArray()) {
            throw new IllegalArgumentException(format + " must be a list of records");
        }
        List<Map<String, JsonNode>> rows = new ArrayList<>();
        for (JsonNode record : records) {
            if (!record.isObject()) {
                throw new IllegalArgumentException(format + " must be a list of objects");
            }
            Map<String, JsonNode> row = new LinkedHashMap<>();
            record.properties().forEach(field -> row.put(field.getKey(), field.getValue()));
            rows.add(row);
        }
        return rows;
    }

    @Override
    protected SimulatedAnswer serverError() {
        return error(500, "INTERNAL_ERROR", "The server received an invalid response from an upstream server.");
    }

    @Override
    protected SimulatedAnswer throttled() {
        return error(429, "REQUEST_LIMIT_EXCEEDED", "Exceeded max number of parallel requests. Please retry later.");
    }

    @Override
    protected SimulatedAnswer malformed() {
        return SimulatedAnswer.json(200, "{\"predictions\":[{\"item_ids\":[\"i1\",");
    }

    private static SimulatedAnswer error(int status, String code, String message) {
        return SimulatedAnswer.json(status, JSON.createObjectNode().put("error_code", code).put("message", message).toString());
    }

    private static String textOf(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}

package dev.braid.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * AWS Personalize Runtime as the AWS SDK v2 sees it (REST-JSON, SigV4-signed): {@code POST /recommendations}
 * (GetRecommendations) and {@code POST /personalize-ranking} (GetPersonalizedRanking), with AWS's error forms
 * ({@code x-amzn-ErrorType} and {@code __type}). Answers depend on the campaign (or recommender) and the user.
 */
public final class PersonalizeSimulator extends HttpSimulator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
    /** Personalize scores are shares of the user's whole catalog: they sum to at most 1 over a page. */
    private static final double SCORE_MASS;

    static {
        double mass = 0;
        for (int i = 0; i < 1_000; i++) {
            mass += Math.exp(-i / 15.0);
        }
        SCORE_MASS = mass;
    }

    private final List<String> catalog;

    public PersonalizeSimulator(List<String> catalog, Duration baseLatency) {
        super("personalize", baseLatency);
        this.catalog = List.copyOf(catalog);
    }

    @Override
    protected SimulatedAnswer answer(RecordedRequest request) {
        String authorization = request.header("Authorization");
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 Credential=")) {
            return error(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        if (!request.method().equals("POST")) {
            return error(404, "UnknownOperationException", "no operation " + request.method() + " " + request.path());
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (Exception e) {
            return error(400, "SerializationException", "request body is not JSON");
        }
        return switch (request.path()) {
            case "/recommendations" -> recommendations(body);
            case "/personalize-ranking" -> ranking(body);
            default -> error(404, "UnknownOperationException", "no operation POST " + request.path());
        };
    }

    private SimulatedAnswer recommendations(JsonNode body) {
        String model = text(body, "campaignArn");
        if (model == null) {
            model = text(body, "recommenderArn");
        }
        if (model == null) {
            return error(400, "InvalidInputException", "One of campaignArn or recommenderArn is required");
        }
        String user = text(body, "userId");
        String item = text(body, "itemId");
        if (user == null && item == null) {
            return error(400, "InvalidInputException", "userId or itemId is required");
        }
        int numResults = body.path("numResults").asInt(25);
        if (numResults < 1 || numResults > 500) {
            return error(400, "InvalidInputException", "numResults must be between 1 and 500");
        }
        Set<String> excluded = excluded(body.path("filterValues"));
        List<DeterministicRanking.Ranked> ranked = DeterministicRanking.rank(
                "personalize", user != null ? user : "item:" + item, model, catalog, numResults + excluded.size());
        List<PromotionShare> promotions = promotions(body.path("promotions"));

        ObjectNode answer = JSON.createObjectNode();
        ArrayNode items = answer.putArray("itemList");
        int position = 0;
        for (DeterministicRanking.Ranked candidate : ranked) {
            if (excluded.contains(candidate.itemId()) || position == numResults) {
                continue;
            }
            ObjectNode predicted = items.addObject();
            predicted.put("itemId", candidate.itemId());
            predicted.put("score", round(Math.exp(-position / 15.0) / SCORE_MASS));
            String promotion = promotionAt(promotions, position);
            if (promotion != null) {
                predicted.put("promotionName", promotion);
            }
            position++;
        }
        answer.put("recommendationId", "RID-" + UUID.randomUUID());
        return SimulatedAnswer.json(200, answer.toString(), requestId());
    }

    private SimulatedAnswer ranking(JsonNode body) {
        String campaign = text(body, "campaignArn");
        String user = text(body, "userId");
        JsonNode input = body.path("inputList");
        if (campaign == null || user == null) {
            return error(400, "InvalidInputException", "campaignArn and userId are required");
        }
        if (!input.isArray() || input.isEmpty() || input.size() > 500) {
            return error(400, "InvalidInputException", "inputList must hold 1..500 item ids");
        }
        List<String> items = new ArrayList<>();
        input.forEach(node -> items.add(node.asText()));
        Set<String> excluded = excluded(body.path("filterValues"));
        items.removeAll(excluded);
        List<DeterministicRanking.Ranked> reranked = DeterministicRanking.rerank("personalize:" + campaign, user, items);
        double total = reranked.stream().mapToDouble(r -> Math.exp(3 * r.relevance())).sum();

        ObjectNode answer = JSON.createObjectNode();
        ArrayNode ranking = answer.putArray("personalizedRanking");
        for (DeterministicRanking.Ranked ranked : reranked) {
            ranking.addObject().put("itemId", ranked.itemId()).put("score", round(Math.exp(3 * ranked.relevance()) / total));
        }
        answer.put("recommendationId", "RID-" + UUID.randomUUID());
        return SimulatedAnswer.json(200, answer.toString(), requestId());
    }

    @Override
    protected SimulatedAnswer serverError() {
        return error(500, "InternalFailure", "The request processing has failed because of an unknown error");
    }

    @Override
    protected SimulatedAnswer throttled() {
        return error(429, "ThrottlingException", "Rate exceeded");
    }

    @Override
    protected SimulatedAnswer malformed() {
        return SimulatedAnswer.json(200, "{\"itemList\":[{\"itemId\":\"i1\",\"score\":0.0", requestId());
    }

    /** A filter value like {@code "\"i1\",\"i2\""} names items to leave out. */
    private static Set<String> excluded(JsonNode filterValues) {
        Set<String> excluded = new HashSet<>();
        filterValues.forEach(value -> {
            Matcher quoted = QUOTED.matcher(value.asText());
            while (quoted.find()) {
                excluded.add(quoted.group(1));
            }
        });
        return excluded;
    }

    private record PromotionShare(String name, int percent) {
    }

    private static List<PromotionShare> promotions(JsonNode promotions) {
        List<PromotionShare> shares = new ArrayList<>();
        promotions.forEach(p -> shares.add(new PromotionShare(p.path("name").asText("promotion"),
                                                              p.path("percentPromotedItems").asInt(0))));
        return shares;
    }

    /** Promoted items are spread through the list: every (100 / percent)-th position. */
    private static String promotionAt(List<PromotionShare> promotions, int position) {
        for (PromotionShare promotion : promotions) {
            if (promotion.percent() > 0 && position % Math.max(1, 100 / promotion.percent()) == 0) {
                return promotion.name();
            }
        }
        return null;
    }

    private static SimulatedAnswer error(int status, String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("__type", type).put("message", message);
        Map<String, String> headers = new java.util.LinkedHashMap<>(requestId());
        headers.put("x-amzn-ErrorType", type);
        return SimulatedAnswer.json(status, body.toString(), headers);
    }

    private static Map<String, String> requestId() {
        return Map.of("x-amzn-RequestId", UUID.randomUUID().toString());
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

    private static double round(double score) {
        return Math.round(score * 1e6) / 1e6;
    }
}

package dev.braid.search.opensearch;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * One line of a JSON Lines catalog file. Only the shape is checked here (an object with an item_id); the fields are the
 * index mapping's business, and OpenSearch's refusals are reported per document.
 */
sealed interface CatalogLine {
    JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    int MAX_ID_BYTES = 512;

    long number();

    /** A document to load under {@code itemId}. */
    record Document(long number, String itemId, Map<String, Object> source) implements CatalogLine {
    }

    /** A line that cannot be a document. */
    record Bad(long number, String reason) implements CatalogLine {
    }

    /** An empty line: tolerated, as most JSON Lines writers leave one at the end. */
    record Blank(long number) implements CatalogLine {
    }

    static CatalogLine parse(long number, String text) {
        if (text.isBlank()) {
            return new Blank(number);
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return new Bad(number, "not JSON: " + e.getOriginalMessage());
        }
        if (!tree.isObject()) {
            return new Bad(number, "not a JSON object");
        }
        JsonNode id = tree.get("item_id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            return new Bad(number, "missing or blank item_id");
        }
        // OpenSearch refuses a longer _id for the whole bulk request, not just for this document.
        if (id.asText().getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            return new Bad(number, "item_id longer than " + MAX_ID_BYTES + " bytes");
        }
        return new Document(number, id.asText(), JSON.convertValue(tree, OBJECT));
    }
}

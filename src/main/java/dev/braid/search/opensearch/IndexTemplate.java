package dev.braid.search.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.opensearch.client.json.JsonpDeserializer;
import org.opensearch.client.json.JsonpMapper;
import org.opensearch.client.opensearch._types.Time;
import org.opensearch.client.opensearch._types.mapping.TypeMapping;
import org.opensearch.client.opensearch.indices.IndexSettings;

/**
 * The catalog index as the repository defines it ({@code opensearch/catalog-index.json}): the settings a new version is
 * created with for a bulk load (no refreshes, no replicas) and the settings it gets back once loaded.
 *
 * @param loading         the file's settings and analysis, with refresh off and no replicas
 * @param mappings        the file's mapping
 * @param refreshInterval the file's refresh interval, restored after the load
 * @param replicas        the file's replica count, restored after the load
 */
record IndexTemplate(IndexSettings loading, TypeMapping mappings, String refreshInterval, int replicas) {
    static final String RESOURCE = "/opensearch/catalog-index.json";
    private static final JsonMapper JSON = new JsonMapper();
    // OpenSearch's own defaults, for a file that leaves them out.
    private static final String DEFAULT_REFRESH_INTERVAL = "1s";
    private static final int DEFAULT_REPLICAS = 1;

    static IndexTemplate read(JsonpMapper mapper) {
        JsonNode file;
        try (InputStream in = IndexTemplate.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            file = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        ObjectNode settings = file.path("settings").isObject()
                ? (ObjectNode) file.get("settings").deepCopy()
                : JSON.createObjectNode();
        // The file may spell a setting flat ("refresh_interval") or under "index"; both are taken out, then set flat.
        String refresh = take(settings, "refresh_interval");
        String replicas = take(settings, "number_of_replicas");
        settings.put("refresh_interval", "-1");
        settings.put("number_of_replicas", 0);
        return new IndexTemplate(deserialize(settings, IndexSettings._DESERIALIZER, mapper),
                                 deserialize(file.path("mappings"), TypeMapping._DESERIALIZER, mapper),
                                 refresh == null ? DEFAULT_REFRESH_INTERVAL : refresh,
                                 replicas == null ? DEFAULT_REPLICAS : Integer.parseInt(replicas));
    }

    /** The settings a loaded index gets back. */
    IndexSettings restored() {
        return IndexSettings.of(s -> s.refreshInterval(Time.of(t -> t.time(refreshInterval))).numberOfReplicas(replicas));
    }

    private static String take(ObjectNode settings, String name) {
        JsonNode flat = settings.remove(name);
        JsonNode nested = settings.path("index").isObject() ? ((ObjectNode) settings.get("index")).remove(name) : null;
        JsonNode value = flat != null ? flat : nested;
        return value == null ? null : value.asText();
    }

    private static <T> T deserialize(JsonNode json, JsonpDeserializer<T> deserializer, JsonpMapper mapper) {
        return deserializer.deserialize(mapper.jsonProvider().createParser(new StringReader(json.toString())), mapper);
    }
}

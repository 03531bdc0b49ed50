package dev.braid.dev;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.braid.OpenSearchClients;
import dev.braid.config.HttpClientConfig;
import dev.braid.config.OpenSearchConfig;

import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.generic.Bodies;
import org.opensearch.client.opensearch.generic.Requests;

/**
 * Loads the demo catalog the way production data arrives: into a versioned index with the repository's mapping, then
 * an alias pointing at it, which is all the service ever queries.
 */
public final class DemoCatalogLoader {
    public static final String ALIAS = "catalog";
    static final String MAPPING_RESOURCE = "/opensearch/catalog-index.json";
    private static final int BATCH = 1_000;

    private DemoCatalogLoader() {
    }

    /** {@link #load(OpenSearchClient, String, List)} through a client of its own, with time limits made for bulk loads. */
    public static void load(URI node, String alias, List<DemoCatalog.Item> items) {
        OpenSearchClient client = OpenSearchClients.create(new OpenSearchConfig(
                node, "", "", new HttpClientConfig(Duration.ofSeconds(2), Duration.ofSeconds(60), 4, Duration.ofSeconds(5))));
        try {
            load(client, alias, items);
            client._transport().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the demo catalog into " + node, e);
        }
    }

    /** Creates {@code alias-v1} with the mapping, bulk-loads the items, refreshes, and points {@code alias} at it. */
    public static void load(OpenSearchClient client, String alias, List<DemoCatalog.Item> items) throws IOException {
        String index = alias + "-v1";
        execute(client, "PUT", "/" + index, mapping());
        for (int from = 0; from < items.size(); from += BATCH) {
            List<BulkOperation> operations = items.subList(from, Math.min(items.size(), from + BATCH)).stream()
                    .map(item -> BulkOperation.of(op -> op.index(i -> i.index(index).id(item.itemId()).document(document(item)))))
                    .toList();
            BulkResponse response = client.bulk(b -> b.operations(operations));
            if (response.errors()) {
                throw new IllegalStateException("bulk load failed: " + response.items().stream()
                        .filter(item -> item.error() != null).findFirst().map(item -> item.error().reason()).orElse("?"));
            }
        }
        execute(client, "POST", "/" + index + "/_refresh", null);
        execute(client, "POST", "/_aliases",
                "{\"actions\":[{\"add\":{\"index\":\"" + index + "\",\"alias\":\"" + alias + "\",\"is_write_index\":true}}]}");
    }

    static Map<String, Object> document(DemoCatalog.Item item) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("item_id", item.itemId());
        document.put("title", item.title());
        document.put("description", item.description());
        document.put("category", item.category());
        document.put("brand", item.brand());
        document.put("price", item.price());
        document.put("popularity", item.popularity());
        document.put("published_at", item.publishedAt().toString());
        document.put("in_stock", item.inStock());
        float[] embedding = item.embedding();
        List<Float> vector = new java.util.ArrayList<>(embedding.length);
        for (float value : embedding) {
            vector.add(value);
        }
        document.put("embedding", vector);
        return document;
    }

    static String mapping() {
        try (InputStream in = DemoCatalogLoader.class.getResourceAsStream(MAPPING_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(MAPPING_RESOURCE + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void execute(OpenSearchClient client, String method, String endpoint, String json) throws IOException {
        var request = Requests.builder().method(method).endpoint(endpoint);
        if (json != null) {
            request.body(Bodies.json(json));
        }
        try (var response = client.generic().execute(request.build())) {
            if (response.getStatus() >= 300) {
                String body = response.getBody().map(b -> new String(b.bodyAsBytes(), StandardCharsets.UTF_8)).orElse("");
                throw new IllegalStateException(method + " " + endpoint + " failed: HTTP " + response.getStatus() + " " + body);
            }
        }
    }
}

package dev.braid.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded node really is an OpenSearch the later features can rely on: aliases, bulk, function_score with a
 * painless script, aggregations and search_after, spoken to over its REST API.
 */
@ExtendWith(OpenSearchExtension.class)
class EmbeddedOpenSearchIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static URI base;

    @BeforeAll
    static void index(EmbeddedOpenSearch openSearch) throws Exception {
        base = openSearch.uri();
        call("PUT", "/sanity-v1", """
                {"settings":{"number_of_shards":1,"number_of_replicas":0},
                 "mappings":{"properties":{"item_id":{"type":"keyword"},"category":{"type":"keyword"},
                   "popularity":{"type":"float"},"title":{"type":"text"}}}}""");
        StringBuilder bulk = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            bulk.append("{\"index\":{\"_index\":\"sanity-v1\",\"_id\":\"s").append(i).append("\"}}\n")
                    .append("{\"item_id\":\"s").append(i).append("\",\"category\":\"c").append(i % 5)
                    .append("\",\"popularity\":").append(i).append(",\"title\":\"thing number ").append(i).append("\"}\n");
        }
        call("POST", "/_bulk?refresh=true", bulk.toString());
        call("POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"sanity-v1\",\"alias\":\"sanity\"}}]}");
    }

    @Test
    void functionScoreWithAScriptAndATermsAggregationThroughTheAlias() throws Exception {
        JsonNode answer = call("POST", "/sanity/_search", """
                {"size":3,
                 "query":{"function_score":{"query":{"match":{"title":"thing"}},
                   "script_score":{"script":{"source":"doc['popularity'].value * 2"}},"boost_mode":"replace"}},
                 "aggs":{"categories":{"terms":{"field":"category"}}}}""");
        assertThat(answer.at("/hits/total/value").asInt()).isEqualTo(50);
        assertThat(answer.at("/hits/hits/0/_id").asText()).isEqualTo("s50");
        assertThat(answer.at("/hits/hits/0/_score").asDouble()).isEqualTo(100.0);
        assertThat(answer.at("/aggregations/categories/buckets")).hasSize(5);
    }

    @Test
    void searchAfterPagesThroughEverythingOnce() throws Exception {
        java.util.Set<String> seen = new java.util.HashSet<>();
        String after = null;
        for (int page = 0; page < 20; page++) {
            JsonNode answer = call("POST", "/sanity/_search", "{\"size\":7,\"sort\":[{\"popularity\":\"desc\"},{\"item_id\":\"asc\"}]"
                                                             + (after == null ? "" : ",\"search_after\":" + after) + "}");
            JsonNode hits = answer.at("/hits/hits");
            if (hits.isEmpty()) {
                break;
            }
            hits.forEach(hit -> assertThat(seen.add(hit.get("_id").asText())).isTrue());
            after = hits.get(hits.size() - 1).get("sort").toString();
        }
        assertThat(seen).hasSize(50);
    }

    private static JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve(path))
                                                          .method(method, HttpRequest.BodyPublishers.ofString(body))
                                                          .header("Content-Type", path.contains("_bulk")
                                                                  ? "application/x-ndjson" : "application/json")
                                                          .timeout(Duration.ofSeconds(30)).build(),
                                                  HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isLessThan(300);
        return JSON.readTree(response.body());
    }
}

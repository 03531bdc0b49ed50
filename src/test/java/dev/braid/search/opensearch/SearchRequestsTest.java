package dev.braid.search.opensearch;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.braid.config.Settings;
import dev.braid.search.Affinities;
import dev.braid.search.ItemField;
import dev.braid.search.SearchConfig;
import dev.braid.search.SearchFilters;
import dev.braid.search.SearchQuery;
import dev.braid.search.SearchSort;
import dev.braid.search.SearchTier;
import dev.braid.search.Spelling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import jakarta.json.stream.JsonGenerator;
import org.junit.jupiter.api.Test;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.core.SearchRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** The request bodies, as OpenSearch receives them (what the engine does with them is SearchIT's subject). */
class SearchRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JacksonJsonpMapper MAPPER = new JacksonJsonpMapper();
    private final SearchRequests requests = new SearchRequests("catalog", null,
                                                               SearchConfig.create(Settings.of(Config.empty())));
    private final SearchQuery query = new SearchQuery(
            "title:(x) AND *", SearchFilters.of(Map.of("category", Set.of("shoes", "bags"), "brand", Set.of("Acme")),
                                               null, new BigDecimal("200")),
            SearchSort.PRICE_ASC, 20, ItemField.DEFAULT, null);

    @Test
    void theSameSearchHasTheSameBodyEveryTime() throws Exception {
        String first = body(requests.search(query, Affinities.none(), List.of(), SearchTier.FULL, Spelling.FORGIVING));
        String second = body(requests.search(new SearchQuery(query.text(), SearchFilters.of(
                Map.of("brand", Set.of("Acme"), "category", Set.of("bags", "shoes")), null, new BigDecimal("200.00")),
                SearchSort.PRICE_ASC, 20, ItemField.DEFAULT, null), Affinities.none(), List.of(), SearchTier.FULL, Spelling.FORGIVING));
        assertThat(second).isEqualTo(first);
        assertThat(requests.search(query, Affinities.none(), List.of(), SearchTier.FULL, Spelling.FORGIVING)
                           .requestCache()).isTrue();
        Affinities personal = new Affinities(Map.of("shoes", 3.0), Map.of());
        assertThat(requests.search(query, personal, List.of(), SearchTier.FULL, Spelling.FORGIVING).requestCache()).isFalse();
    }

    @Test
    void typosAreForgivenOnlyWhenAskedAndOnlyInShortQueries() throws Exception {
        SearchQuery shortQuery = new SearchQuery("sneaker", SearchFilters.of(Map.of(), null, null), SearchSort.RELEVANCE,
                                                 20, ItemField.DEFAULT, null);
        SearchQuery longQuery = new SearchQuery("one two three four five six seven eight nine",
                                                SearchFilters.of(Map.of(), null, null), SearchSort.RELEVANCE, 20,
                                                ItemField.DEFAULT, null);

        assertThat(body(requests.search(shortQuery, Affinities.none(), List.of(), SearchTier.FULL, Spelling.EXACT)))
                .doesNotContain("fuzziness");
        assertThat(body(requests.search(shortQuery, Affinities.none(), List.of(), SearchTier.FULL, Spelling.FORGIVING)))
                .contains("\"fuzziness\":\"AUTO\"");
        assertThat(body(requests.search(longQuery, Affinities.none(), List.of(), SearchTier.FULL, Spelling.FORGIVING)))
                .doesNotContain("fuzziness");
    }

    @Test
    void facetsAreCountedWithEveryFilterButTheirOwn() throws Exception {
        JsonNode body = JSON.readTree(body(requests.search(query, Affinities.none(), List.of(), SearchTier.FULL,
                                                           Spelling.FORGIVING)));
        assertThat(body.at("/post_filter/bool/filter").toString()).contains("category").contains("brand");
        assertThat(body.at("/aggregations/category/filter").toString()).contains("brand").doesNotContain("category");
        assertThat(body.at("/aggregations/brand/filter").toString()).contains("category").doesNotContain("brand");
        // The price range narrows everything, facets included: it is not a facet.
        assertThat(body.at("/query/function_score/query/bool/filter").toString()).contains("price");
    }

    @Test
    void theTextOnlyEverReachesAMultiMatchAndEveryOrderEndsWithTheItemId() throws Exception {
        for (SearchTier tier : List.of(SearchTier.FULL, SearchTier.SIMPLIFIED)) {
            String body = body(requests.search(query, Affinities.none(), List.of(12.5, "i9"), tier, Spelling.FORGIVING));
            assertThat(body).doesNotContain("query_string").contains("\"multi_match\"").contains("\"search_after\":[12.5,\"i9\"]");
            JsonNode sort = JSON.readTree(body).get("sort");
            assertThat(sort.get(sort.size() - 1).has("item_id")).isTrue();
        }
        String simplified = body(requests.search(query, Affinities.none(), List.of(), SearchTier.SIMPLIFIED,
                                                 Spelling.FORGIVING));
        assertThat(simplified).doesNotContain("aggregations").doesNotContain("post_filter").doesNotContain("function_score");
    }

    @Test
    void evenAllFieldsNeverFetchTheEmbeddingWhichNoAnswerRenders() throws Exception {
        SearchQuery everything = new SearchQuery(null, SearchFilters.of(Map.of(), null, null), SearchSort.RELEVANCE, 20,
                                                 Set.of(ItemField.values()), null);
        for (SearchTier tier : List.of(SearchTier.FULL, SearchTier.SIMPLIFIED)) {
            JsonNode includes = JSON.readTree(body(requests.search(everything, Affinities.none(), List.of(), tier,
                                                                   Spelling.FORGIVING)))
                    .at("/_source/includes");
            assertThat(includes).hasSize(ItemField.values().length);
            assertThat(includes.toString()).contains("\"description\"").doesNotContain("embedding");
        }
    }

    private static String body(SearchRequest request) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = MAPPER.jsonProvider().createGenerator(out)) {
            request.serialize(generator, MAPPER);
        }
        return out.toString();
    }
}

package dev.braid.catalog.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.catalog.Embedding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which {@code embedding} values of a document make an embedding (pure logic: the IT reads real documents). */
class OpenSearchCatalogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anArrayOfNumbersIsAnEmbedding() throws Exception {
        assertThat(OpenSearchCatalog.embedding(JSON.readTree("[0.5, -1, 2e-3]")))
                .isEqualTo(new Embedding(new float[]{0.5f, -1f, 0.002f}));
    }

    @Test
    void anythingElseIsNoEmbeddingNotAFailure() throws Exception {
        for (String malformed : new String[]{"null", "[]", "0.5", "\"0.5\"", "{\"values\": [1]}", "[1, \"2\"]", "[1, null]",
                                            "[1, [2]]", "[1e300]", "[true]"}) {
            assertThat(OpenSearchCatalog.embedding(JSON.readTree(malformed))).as(malformed).isNull();
        }
        assertThat(OpenSearchCatalog.embedding(null)).isNull();
    }

    @Test
    void moreDimensionsThanAnEmbeddingMayHaveIsNone() throws Exception {
        JsonNode tooLong = JSON.valueToTree(new float[Embedding.MAX_DIMENSIONS + 1]);
        JsonNode longest = JSON.valueToTree(new float[Embedding.MAX_DIMENSIONS]);

        assertThat(OpenSearchCatalog.embedding(tooLong)).isNull();
        assertThat(OpenSearchCatalog.embedding(longest).dimensions()).isEqualTo(Embedding.MAX_DIMENSIONS);
    }
}

package dev.braid.recommend.source.databricks;

import java.nio.charset.StandardCharsets;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PredictionsTest {
    private static final SourceId ID = SourceId.of("databricks");

    @Test
    void aListWithOnePredictionGivesItsCandidatesInOrder() {
        CandidateBatch batch = parse("{\"predictions\":[{\"item_ids\":[\"i3\",\"i1\"],\"scores\":[0.9,0.4],"
                                     + "\"model_version\":\"7\",\"extra\":true}],\"served_by\":\"x\"}", 10);

        assertThat(batch.candidates()).containsExactly(new Candidate("i3", 0.9, null), new Candidate("i1", 0.4, null));
        assertThat(batch.modelVersion()).isEqualTo("7");
    }

    @Test
    void aSinglePredictionObjectIsAcceptedToo() {
        CandidateBatch batch = parse("{\"predictions\":{\"item_ids\":[\"i3\"],\"scores\":[0.9]}}", 10);

        assertThat(batch.candidates()).containsExactly(new Candidate("i3", 0.9, null));
    }

    @Test
    void withoutScoresTheCandidatesOnlyRank() {
        CandidateBatch batch = parse("{\"predictions\":[{\"item_ids\":[\"i3\",\"i1\"]}]}", 10);

        assertThat(batch.candidates()).extracting(Candidate::itemId).containsExactly("i3", "i1");
        assertThat(batch.candidates()).noneMatch(Candidate::scored);
    }

    @Test
    void theConfiguredModelVersionStandsInWhenTheAnswerHasNone() {
        assertThat(parse("{\"predictions\":[{\"item_ids\":[\"i3\"]}]}", 10).modelVersion()).isEqualTo("fallback");
        assertThat(parse("{\"predictions\":[{\"item_ids\":[\"i3\"],\"model_version\":null}]}", 10).modelVersion())
                .isEqualTo("fallback");
    }

    @Test
    void noMoreThanTheLimitAndNoBlankIds() {
        CandidateBatch batch = parse("{\"predictions\":[{\"item_ids\":[\"i1\",\"\",\"i2\",\"i3\"],"
                                     + "\"scores\":[4,3,2,1]}]}", 2);

        assertThat(batch.candidates()).containsExactly(new Candidate("i1", 4, null), new Candidate("i2", 2, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"predictions\":[{\"item_ids\":[\"i1\",\"i2\"],\"scores\":[0.5]}]}",
            "{\"predictions\":[]}",
            "{\"predictions\":[{\"item_ids\":[\"i1\"]},{\"item_ids\":[\"i2\"]}]}",
            "{\"predictions\":[{\"scores\":[0.5]}]}",
            "{\"outputs\":[]}",
            "{\"predictions\":[{\"item_ids\":[\"i1\"],\"scores\":[\"high\"]}]}",
            "{\"predictions\":[{\"item_ids\":[\"i1\",",
            "[]",
            ""})
    void anythingElseIsMalformedAndNotWorthARetry(String body) {
        assertThatThrownBy(() -> parse(body, 10))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.status()).isEqualTo(SourceStatus.ERROR);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("databricks sent a malformed answer");
                });
    }

    private static CandidateBatch parse(String body, int limit) {
        return Predictions.parse(ID, body.getBytes(StandardCharsets.UTF_8), limit, "fallback");
    }
}

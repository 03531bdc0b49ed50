package dev.braid.recommend.source.databricks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;

/**
 * Reads a Model Serving answer to a one-row invocation: {@code {"predictions": [{"item_ids": [...], "scores": [...],
 * "model_version": "..."}]}}, or the same prediction as a single object instead of a list (how a model returning a dict
 * is served). Anything else is malformed, and asking again will not change it.
 */
final class Predictions {
    private static final ObjectReader READER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build()
            .readerFor(Answer.class);

    private Predictions() {
    }

    record Answer(@JsonProperty("predictions")
                  @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Prediction> predictions) {
    }

    record Prediction(@JsonProperty("item_ids") List<String> itemIds, @JsonProperty("scores") List<Double> scores,
                      @JsonProperty("model_version") String modelVersion) {
    }

    /**
     * The candidates of {@code body}, best first, at most {@code limit}; the model version is the answer's, else
     * {@code fallbackVersion}.
     *
     * @throws SourceException non-retryable ERROR when the body is not such an answer
     */
    static CandidateBatch parse(SourceId source, byte[] body, int limit, String fallbackVersion) {
        Prediction prediction = prediction(source, body);
        List<String> ids = prediction.itemIds();
        List<Double> scores = prediction.scores();
        if (ids == null) {
            throw malformed(source, "the prediction has no \"item_ids\"", null);
        }
        if (scores != null && scores.size() != ids.size()) {
            throw malformed(source, "the prediction has " + ids.size() + " item_ids but " + scores.size() + " scores", null);
        }
        List<Candidate> candidates = new ArrayList<>(Math.min(limit, ids.size()));
        for (int i = 0; i < ids.size() && candidates.size() < limit; i++) {
            String id = ids.get(i);
            if (id == null || id.isBlank()) {
                continue;
            }
            Double score = scores == null ? null : scores.get(i);
            candidates.add(new Candidate(id, score == null ? Double.NaN : score, null));
        }
        String version = prediction.modelVersion() == null || prediction.modelVersion().isBlank()
                ? fallbackVersion : prediction.modelVersion();
        return new CandidateBatch(candidates, version);
    }

    private static Prediction prediction(SourceId source, byte[] body) {
        Answer answer;
        try {
            answer = READER.readValue(body);
        } catch (JsonProcessingException e) {
            throw malformed(source, "the body is not a predictions answer: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw malformed(source, "the body is unreadable: " + e, e);
        }
        if (answer == null || answer.predictions() == null || answer.predictions().isEmpty()) {
            throw malformed(source, "the answer has no \"predictions\"", null);
        }
        // One row asked, one prediction expected: more means the endpoint does not serve the model we think it does.
        if (answer.predictions().size() != 1 || answer.predictions().getFirst() == null) {
            throw malformed(source, "expected one prediction for one row, got " + answer.predictions().size(), null);
        }
        return answer.predictions().getFirst();
    }

    private static SourceException malformed(SourceId source, String why, Throwable cause) {
        return new SourceException(SourceStatus.ERROR, source + " sent a malformed answer: " + why, cause);
    }
}

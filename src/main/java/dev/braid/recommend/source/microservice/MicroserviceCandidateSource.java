package dev.braid.recommend.source.microservice;

import java.io.IOException;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.recommend.source.PooledHttpClient;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.net.URIBuilder;

/**
 * A candidate source behind Braid's plain JSON protocol for internal services:
 * {@code GET url?surface=home&limit=100[&model=m][&user=u1][&country=DE][&language=de]} ({@code model}: the one an
 * experiment asks for) answering
 * {@code {"items": [{"item_id": "i7", "score": 812.5, "reason": "..."}], "model_version": "..."}}
 * ({@code score}, {@code reason} and {@code model_version} optional; items best first).
 */
public final class MicroserviceCandidateSource implements CandidateSource {
    private static final ObjectReader READER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build()
            .readerFor(Answer.class);

    private final MicroserviceConfig config;
    private final PooledHttpClient http;

    public MicroserviceCandidateSource(MicroserviceConfig config) {
        this.config = config;
        this.http = new PooledHttpClient(config.id(), config.http());
    }

    record Answer(@JsonProperty("items") List<Item> items, @JsonProperty("model_version") String modelVersion) {
    }

    record Item(@JsonProperty("item_id") String itemId, @JsonProperty("score") Double score,
                @JsonProperty("reason") String reason) {
    }

    @Override
    public SourceId id() {
        return config.id();
    }

    @Override
    public CandidateBatch fetch(CandidateQuery query) {
        PooledHttpClient.Response response = http.send(new HttpGet(uri(query)), query.deadline());
        if (response.status() != 200) {
            throw response.failure(id());
        }
        return parse(response.body(), query.limit());
    }

    /** Connection pool statistics, for tests and operators. */
    public PooledHttpClient http() {
        return http;
    }

    @Override
    public void close() {
        http.close();
    }

    private java.net.URI uri(CandidateQuery query) {
        RecommendationRequest request = query.request();
        try {
            URIBuilder uri = new URIBuilder(config.url())
                    .addParameter("surface", request.surface())
                    .addParameter("limit", Integer.toString(query.limit()));
            if (query.model(config.id()) != null) {
                uri.addParameter("model", query.model(config.id()));
            }
            if (request.user() != null) {
                uri.addParameter("user", request.user());
            }
            if (request.country() != null) {
                uri.addParameter("country", request.country());
            }
            if (request.language() != null) {
                uri.addParameter("language", request.language());
            }
            return uri.build();
        } catch (URISyntaxException e) {
            throw new SourceException(SourceStatus.ERROR, "cannot build the request URI: " + e.getMessage(), e);
        }
    }

    private CandidateBatch parse(byte[] body, int limit) {
        Answer answer;
        try {
            answer = READER.readValue(body);
        } catch (JsonProcessingException e) {
            throw new SourceException(SourceStatus.ERROR, id() + " sent a body that is not its JSON answer: "
                                                          + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SourceException(SourceStatus.ERROR, id() + " sent an unreadable body: " + e, e);
        }
        if (answer == null || answer.items() == null) {
            throw new SourceException(SourceStatus.ERROR, id() + " sent an answer without \"items\"");
        }
        List<Candidate> candidates = new ArrayList<>(Math.min(limit, answer.items().size()));
        for (Item item : answer.items()) {
            if (candidates.size() == limit) {
                break;
            }
            if (item == null || item.itemId() == null || item.itemId().isBlank()) {
                continue;
            }
            double score = item.score() == null ? Double.NaN : item.score();
            candidates.add(new Candidate(item.itemId(), score, item.reason()));
        }
        return new CandidateBatch(candidates, answer.modelVersion());
    }
}

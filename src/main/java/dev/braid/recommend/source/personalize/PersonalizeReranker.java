package dev.braid.recommend.source.personalize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.Reranker;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;

import software.amazon.awssdk.services.personalizeruntime.model.GetPersonalizedRankingRequest;
import software.amazon.awssdk.services.personalizeruntime.model.GetPersonalizedRankingResponse;
import software.amazon.awssdk.services.personalizeruntime.model.PredictedItem;

/** Personalize's GetPersonalizedRanking on the source's ranking campaign: a blended list in the user's order. */
final class PersonalizeReranker implements Reranker {
    /** GetPersonalizedRanking's largest {@code inputList}. */
    static final int MAX_RANKING_INPUT = 500;

    private final PersonalizeCalls calls;

    PersonalizeReranker(PersonalizeCalls calls) {
        this.calls = calls;
    }

    @Override
    public SourceId id() {
        return calls.id();
    }

    @Override
    public CandidateBatch rerank(CandidateQuery query, List<String> itemIds) {
        String user = calls.user(query.request());
        String arn = calls.config().rankingCampaignArn();
        if (arn == null) {
            throw new SourceException(SourceStatus.ERROR, id() + " cannot re-rank: set sources." + id()
                                                          + ".ranking-campaign-arn");
        }
        Set<String> input = new LinkedHashSet<>();
        for (String itemId : itemIds) {
            if (input.size() == MAX_RANKING_INPUT) {
                break;
            }
            if (PersonalizeCalls.usable(itemId)) {
                input.add(itemId);
            }
        }
        if (input.isEmpty()) {
            return new CandidateBatch(List.of(), calls.modelVersion(arn));
        }
        Duration timeout = calls.callTimeout(query.deadline());

        GetPersonalizedRankingRequest.Builder call = GetPersonalizedRankingRequest.builder()
                .campaignArn(arn).userId(user).inputList(List.copyOf(input));
        Map<String, String> context = calls.context(query.request());
        if (!context.isEmpty()) {
            call.context(context);
        }
        call.overrideConfiguration(o -> o.apiCallTimeout(timeout));

        GetPersonalizedRankingResponse response = calls.send(client -> client.getPersonalizedRanking(call.build()));
        List<Candidate> ranked = new ArrayList<>(input.size());
        for (PredictedItem item : response.personalizedRanking()) {
            if (item != null && input.contains(item.itemId())) {
                ranked.add(new Candidate(item.itemId(), PersonalizeCalls.score(item), null));
            }
        }
        return new CandidateBatch(ranked, calls.modelVersion(arn), response.recommendationId());
    }
}

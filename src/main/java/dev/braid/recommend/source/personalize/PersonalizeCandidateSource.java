package dev.braid.recommend.source.personalize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.Reranker;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;

import software.amazon.awssdk.services.personalizeruntime.model.GetRecommendationsRequest;
import software.amazon.awssdk.services.personalizeruntime.model.GetRecommendationsResponse;
import software.amazon.awssdk.services.personalizeruntime.model.PredictedItem;
import software.amazon.awssdk.services.personalizeruntime.model.Promotion;

/**
 * AWS Personalize as a candidate source (GetRecommendations) and, with a ranking campaign, a re-ranker
 * ({@link PersonalizeReranker}), through one blocking SDK client ({@link PersonalizeClients}). Every call is limited by
 * the request's deadline ({@code apiCallTimeout}); interrupting the calling thread aborts the exchange and closes its
 * socket, so a cancelled call does not keep its pooled connection.
 */
public final class PersonalizeCandidateSource implements CandidateSource, Reranker {
    /** Personalize takes at most this many quoted ids in one filter value. */
    public static final int MAX_FILTER_IDS = 100;
    /** Personalize's limit on the length of one filter value. */
    static final int MAX_FILTER_VALUE_CHARS = 1000;
    /** GetRecommendations' largest {@code numResults}; 50 when metadata columns are asked for. */
    static final int MAX_RESULTS = 500;
    static final int MAX_RESULTS_WITH_METADATA = 50;
    /** The reason of a recommended item that is neither promoted nor explained by Personalize. */
    public static final String RECOMMENDED = "recommended for you";

    private final PersonalizeConfig config;
    private final PersonalizeClients clients;
    private final PersonalizeCalls calls;
    private final PersonalizeReranker reranker;
    private final List<Promotion> promotions;

    public PersonalizeCandidateSource(PersonalizeConfig config) {
        this.config = config;
        this.promotions = config.promotions().stream()
                .map(p -> Promotion.builder().name(p.name()).percentPromotedItems(p.percent()).filterArn(p.filterArn())
                        .build())
                .toList();
        this.clients = PersonalizeClients.create(config);
        this.calls = new PersonalizeCalls(config, clients.client());
        this.reranker = new PersonalizeReranker(calls);
    }

    @Override
    public SourceId id() {
        return config.id();
    }

    @Override
    public CandidateBatch fetch(CandidateQuery query) {
        RecommendationRequest request = query.request();
        String user = calls.user(request);
        // An experiment may ask for another campaign or recommender; otherwise the surface's own.
        String arn = query.model(id()) != null ? query.model(id()) : config.arns().get(request.surface());
        if (arn == null) {
            throw new SourceException(SourceStatus.ERROR, id() + " has no campaign or recommender for surface '"
                                                          + request.surface() + "': set sources." + id() + ".arns."
                                                          + request.surface());
        }
        Duration timeout = calls.callTimeout(query.deadline());

        GetRecommendationsRequest.Builder call = GetRecommendationsRequest.builder().userId(user);
        if (PersonalizeConfig.isRecommender(arn)) {
            call.recommenderArn(arn);
        } else {
            call.campaignArn(arn);
        }
        int unsent = request.exclude().size();
        if (config.filterArn() != null) {
            call.filterArn(config.filterArn());
            if (config.filterExcludeParameter() != null && !request.exclude().isEmpty()) {
                List<String> sent = filterIds(request.exclude());
                unsent -= sent.size();
                call.filterValues(Map.of(config.filterExcludeParameter(), quoted(sent)));
            }
        }
        call.numResults(numResults(query.limit(), unsent));
        Map<String, String> context = calls.context(request);
        if (!context.isEmpty()) {
            call.context(context);
        }
        if (!config.metadataColumns().isEmpty()) {
            call.metadataColumns(config.metadataColumns());
        }
        if (!config.promotions().isEmpty()) {
            call.promotions(promotions);
        }
        call.overrideConfiguration(o -> o.apiCallTimeout(timeout));

        GetRecommendationsResponse response = calls.send(client -> client.getRecommendations(call.build()));
        List<Candidate> candidates = new ArrayList<>(query.limit());
        for (PredictedItem item : response.itemList()) {
            if (candidates.size() == query.limit()) {
                break;
            }
            // Ids that did not fit into the filter value come back; the caller does not want them.
            if (item != null && PersonalizeCalls.usable(item.itemId()) && !request.exclude().contains(item.itemId())) {
                candidates.add(new Candidate(item.itemId(), PersonalizeCalls.score(item), reason(item)));
            }
        }
        String version = query.model(id()) != null ? arn : calls.modelVersion(arn);
        return new CandidateBatch(candidates, version, response.recommendationId());
    }

    @Override
    public CandidateBatch rerank(CandidateQuery query, List<String> itemIds) {
        return reranker.rerank(query, itemIds);
    }

    @Override
    public void close() {
        clients.close();
    }

    /**
     * {@code limit}, plus room for the excluded ids that could not go into the filter (they are dropped from the answer
     * here), within Personalize's maximum. A limit above that maximum is sent as it is and refused by Personalize.
     */
    private int numResults(int limit, int unsent) {
        int most = config.metadataColumns().isEmpty() ? MAX_RESULTS : MAX_RESULTS_WITH_METADATA;
        return limit + Math.min(unsent, Math.max(0, most - limit));
    }

    /** Up to {@value #MAX_FILTER_IDS} ids (in a stable order) whose quoted list fits into one filter value. */
    private static List<String> filterIds(Set<String> exclude) {
        List<String> ids = new ArrayList<>(Math.min(exclude.size(), MAX_FILTER_IDS));
        int length = 0;
        for (String id : new TreeSet<>(exclude)) {
            if (ids.size() == MAX_FILTER_IDS) {
                break;
            }
            if (id.indexOf('"') >= 0 || id.indexOf(',') >= 0) {
                continue; // cannot be quoted in a filter value; dropped from the answer instead
            }
            int added = id.length() + 2 + (ids.isEmpty() ? 0 : 1);
            if (length + added > MAX_FILTER_VALUE_CHARS) {
                continue;
            }
            ids.add(id);
            length += added;
        }
        return ids;
    }

    private static String quoted(List<String> ids) {
        StringBuilder value = new StringBuilder();
        for (String id : ids) {
            if (!value.isEmpty()) {
                value.append(',');
            }
            value.append('"').append(id).append('"');
        }
        return value.toString();
    }

    private static String reason(PredictedItem item) {
        if (item.promotionName() != null && !item.promotionName().isBlank()) {
            return item.promotionName();
        }
        if (item.hasReason() && !item.reason().isEmpty() && PersonalizeCalls.usable(item.reason().getFirst())) {
            return item.reason().getFirst();
        }
        return RECOMMENDED;
    }
}

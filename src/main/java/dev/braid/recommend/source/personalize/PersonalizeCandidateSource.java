package dev.braid.recommend.source.personalize;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.CandidateSource;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.Reranker;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.resilience.Deadline;
import dev.braid.resilience.RetryAfter;

import org.apache.http.conn.ConnectionPoolTimeoutException;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClient;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClientBuilder;
import software.amazon.awssdk.services.personalizeruntime.model.GetPersonalizedRankingRequest;
import software.amazon.awssdk.services.personalizeruntime.model.GetPersonalizedRankingResponse;
import software.amazon.awssdk.services.personalizeruntime.model.GetRecommendationsRequest;
import software.amazon.awssdk.services.personalizeruntime.model.GetRecommendationsResponse;
import software.amazon.awssdk.services.personalizeruntime.model.PredictedItem;
import software.amazon.awssdk.services.personalizeruntime.model.Promotion;

/**
 * AWS Personalize as a candidate source (GetRecommendations) and a re-ranker (GetPersonalizedRanking), through one
 * blocking SDK client with its own Apache connection pool. The SDK never retries: Braid retries each downstream in one
 * place. Every call is limited by the request's deadline ({@code apiCallTimeout}); interrupting the calling thread
 * aborts the exchange and closes its socket, so a cancelled call does not keep its pooled connection.
 */
public final class PersonalizeCandidateSource implements CandidateSource, Reranker {
    /** Personalize takes at most this many quoted ids in one filter value. */
    public static final int MAX_FILTER_IDS = 100;
    /** Personalize's limit on the length of one filter value. */
    static final int MAX_FILTER_VALUE_CHARS = 1000;
    /** GetRecommendations' largest {@code numResults}; 50 when metadata columns are asked for. */
    static final int MAX_RESULTS = 500;
    static final int MAX_RESULTS_WITH_METADATA = 50;
    /** GetPersonalizedRanking's largest {@code inputList}. */
    public static final int MAX_RANKING_INPUT = 500;
    /** The reason of a recommended item that is neither promoted nor explained by Personalize. */
    public static final String RECOMMENDED = "recommended for you";

    private final PersonalizeConfig config;
    private final DefaultCredentialsProvider credentials;
    private final PersonalizeRuntimeClient client;
    private final List<Promotion> promotions;

    public PersonalizeCandidateSource(PersonalizeConfig config) {
        this.config = config;
        this.promotions = config.promotions().stream()
                .map(p -> Promotion.builder().name(p.name()).percentPromotedItems(p.percent()).filterArn(p.filterArn())
                        .build())
                .toList();
        this.credentials = DefaultCredentialsProvider.builder().build();
        PersonalizeRuntimeClientBuilder builder = PersonalizeRuntimeClient.builder()
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder()
                                           .maxConnections(config.http().maxConnections())
                                           .connectionTimeout(config.http().connectTimeout())
                                           .connectionAcquisitionTimeout(config.http().poolWait())
                                           .socketTimeout(config.http().timeout())
                                           .connectionMaxIdleTime(Duration.ofSeconds(30))
                                           .connectionTimeToLive(Duration.ofMinutes(5)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(config.http().timeout()));
        if (!config.region().isEmpty()) {
            builder.region(Region.of(config.region()));
        }
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        try {
            this.client = builder.build();
        } catch (RuntimeException e) {
            credentials.close();
            throw new IllegalStateException(
                    config.id() + ": cannot create the Personalize client: " + e.getMessage()
                    + (config.region().isEmpty() ? " (set sources." + config.id() + ".region, or AWS_REGION)" : ""), e);
        }
    }

    @Override
    public SourceId id() {
        return config.id();
    }

    @Override
    public CandidateBatch fetch(CandidateQuery query) {
        RecommendationRequest request = query.request();
        String user = user(request);
        // An experiment may ask for another campaign or recommender; otherwise the surface's own.
        String arn = query.model(id()) != null ? query.model(id()) : config.arns().get(request.surface());
        if (arn == null) {
            throw new SourceException(SourceStatus.ERROR, id() + " has no campaign or recommender for surface '"
                                                          + request.surface() + "': set sources." + id() + ".arns."
                                                          + request.surface());
        }
        Duration timeout = callTimeout(query.deadline());

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
        Map<String, String> context = context(request);
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

        GetRecommendationsResponse response = send(() -> client.getRecommendations(call.build()));
        List<Candidate> candidates = new ArrayList<>(query.limit());
        for (PredictedItem item : response.itemList()) {
            if (candidates.size() == query.limit()) {
                break;
            }
            // Ids that did not fit into the filter value come back; the caller does not want them.
            if (item != null && usable(item.itemId()) && !request.exclude().contains(item.itemId())) {
                candidates.add(new Candidate(item.itemId(), score(item), reason(item)));
            }
        }
        String version = query.model(id()) != null ? arn : modelVersion(arn);
        return new CandidateBatch(candidates, version, response.recommendationId());
    }

    @Override
    public CandidateBatch rerank(CandidateQuery query, List<String> itemIds) {
        String user = user(query.request());
        String arn = config.rankingCampaignArn();
        if (arn == null) {
            throw new SourceException(SourceStatus.ERROR, id() + " cannot re-rank: set sources." + id()
                                                          + ".ranking-campaign-arn");
        }
        Set<String> input = new LinkedHashSet<>();
        for (String itemId : itemIds) {
            if (input.size() == MAX_RANKING_INPUT) {
                break;
            }
            if (usable(itemId)) {
                input.add(itemId);
            }
        }
        if (input.isEmpty()) {
            return new CandidateBatch(List.of(), modelVersion(arn));
        }
        Duration timeout = callTimeout(query.deadline());

        GetPersonalizedRankingRequest.Builder call = GetPersonalizedRankingRequest.builder()
                .campaignArn(arn).userId(user).inputList(List.copyOf(input));
        Map<String, String> context = context(query.request());
        if (!context.isEmpty()) {
            call.context(context);
        }
        call.overrideConfiguration(o -> o.apiCallTimeout(timeout));

        GetPersonalizedRankingResponse response = send(() -> client.getPersonalizedRanking(call.build()));
        List<Candidate> ranked = new ArrayList<>(input.size());
        for (PredictedItem item : response.personalizedRanking()) {
            if (item != null && input.contains(item.itemId())) {
                ranked.add(new Candidate(item.itemId(), score(item), null));
            }
        }
        return new CandidateBatch(ranked, modelVersion(arn), response.recommendationId());
    }

    @Override
    public void close() {
        client.close();
        credentials.close();
    }

    private String user(RecommendationRequest request) {
        if (request.user() == null || request.user().isBlank()) {
            // The plan skips per-user sources for anonymous visitors; Personalize would only answer 400.
            throw new SourceException(SourceStatus.ERROR, id() + " answers per user and was asked for an anonymous"
                                                          + " visitor");
        }
        return request.user();
    }

    /** The call's own limit: the configured timeout, never past the deadline, at least the SDK's 1 ms grain. */
    private Duration callTimeout(Deadline deadline) {
        Duration left = deadline.cap(config.http().timeout());
        if (left.toMillis() < 1) {
            throw new SourceException(SourceStatus.TIMEOUT, id() + ": no time left before the deadline");
        }
        return left;
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

    private Map<String, String> context(RecommendationRequest request) {
        Map<String, String> context = new LinkedHashMap<>();
        config.context().forEach((key, field) -> {
            String value = field.value(request);
            if (value != null && !value.isBlank()) {
                context.put(key, value);
            }
        });
        return context;
    }

    private String modelVersion(String arn) {
        return config.modelVersion() != null ? config.modelVersion() : arn;
    }

    private static boolean usable(String itemId) {
        return itemId != null && !itemId.isBlank();
    }

    private static double score(PredictedItem item) {
        return item.score() == null ? Double.NaN : item.score();
    }

    private static String reason(PredictedItem item) {
        if (item.promotionName() != null && !item.promotionName().isBlank()) {
            return item.promotionName();
        }
        if (item.hasReason() && !item.reason().isEmpty() && usable(item.reason().getFirst())) {
            return item.reason().getFirst();
        }
        return RECOMMENDED;
    }

    private <T> T send(Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    /** What an SDK failure means for Braid: see the class comment of {@link SourceException}. */
    private SourceException failure(SdkException e) {
        if (e instanceof AwsServiceException service) {
            return serviceFailure(service);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new SourceException(SourceStatus.TIMEOUT, id() + ": no answer within the call's time limit", e);
        }
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted() || causedBy(e, InterruptedException.class)) {
            // Our thread was interrupted (the fan-out cancels what is still running at the deadline). The SDK keeps the
            // interrupt flag set for the caller to see.
            return new SourceException(SourceStatus.TIMEOUT, id() + ": cancelled", e);
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectionPoolTimeoutException) {
                return new SourceException(SourceStatus.REJECTED, id() + ": no free connection in the pool within "
                                                                  + config.http().poolWait().toMillis() + "ms", e);
            }
            if (cause instanceof org.apache.http.conn.ConnectTimeoutException || cause instanceof ConnectException) {
                return SourceException.transientError(id() + ": cannot connect: " + cause.getMessage(), e);
            }
            if (cause instanceof SocketTimeoutException) {
                return new SourceException(SourceStatus.TIMEOUT, id() + ": timed out waiting for the answer", e);
            }
            if (isJson(cause)) {
                return new SourceException(SourceStatus.ERROR, id() + " sent a body that is not its JSON answer: "
                                                               + cause.getMessage(), e);
            }
            if (cause instanceof IOException) {
                // A reset, closed or half-answered connection: the next one may well work.
                return SourceException.transientError(id() + ": " + cause, e);
            }
        }
        // Anything else the SDK could not make sense of (an unreadable answer, a client misconfiguration).
        return new SourceException(SourceStatus.ERROR, id() + ": " + e.getMessage(), e);
    }

    private SourceException serviceFailure(AwsServiceException e) {
        int status = e.statusCode();
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details == null ? null : details.errorCode();
        String what = id() + " answered HTTP " + status + (code == null ? "" : " " + code)
                      + (details == null || details.errorMessage() == null ? "" : ": " + details.errorMessage());
        if (e.isThrottlingException() || status == 429) {
            String header = details == null || details.sdkHttpResponse() == null ? null
                    : details.sdkHttpResponse().firstMatchingHeader("Retry-After").orElse(null);
            return SourceException.throttled(what + (header == null ? "" : " (Retry-After " + header + ")"),
                                             RetryAfter.parse(header).orElse(null), e);
        }
        if (status >= 500) {
            return SourceException.transientError(what, e);
        }
        // InvalidInput, ResourceNotFound, access denied...: asking again will not help.
        return new SourceException(SourceStatus.ERROR, what, e);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** The SDK parses with its own (shaded) Jackson; a parse failure is a broken body, not a broken connection. */
    private static boolean isJson(Throwable cause) {
        for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().endsWith(".jackson.core.JsonProcessingException")) {
                return true;
            }
        }
        return false;
    }
}

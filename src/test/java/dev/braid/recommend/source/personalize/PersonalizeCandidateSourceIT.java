package dev.braid.recommend.source.personalize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.braid.config.Settings;
import dev.braid.dev.DemoCatalog;
import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.resilience.Deadline;
import dev.braid.sim.DeterministicRanking;
import dev.braid.sim.PersonalizeSimulator;
import dev.braid.testing.FaultMode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The source through the real AWS SDK v2 against the Personalize simulator: what it sends, and every fault. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PersonalizeCandidateSourceIT {
    private static final String CAMPAIGN = "arn:aws:personalize:us-east-1:123456789012:campaign/home";
    private static final String RECOMMENDER = "arn:aws:personalize:us-east-1:123456789012:recommender/pdp";
    private static final String RANKING = "arn:aws:personalize:us-east-1:123456789012:campaign/rerank";
    private static final String FILTER = "arn:aws:personalize:us-east-1:123456789012:filter/exclude";
    private static final String SALE_FILTER = "arn:aws:personalize:us-east-1:123456789012:filter/sale";
    /** What a call may take beyond its deadline on a busy 2-core CI machine. */
    private static final Duration SLACK = Duration.ofMillis(700);
    /** The SDK's standard chains read these first; nothing else (and never the EC2 metadata service) is consulted. */
    private static final Map<String, String> SYSTEM_PROPERTIES = Map.of(
            "aws.accessKeyId", "AKIDBRAIDTEST", "aws.secretAccessKey", "braid-test-secret",
            "aws.region", "us-west-2", "aws.disableEc2Metadata", "true");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, String> previousProperties = new HashMap<>();
    private static PersonalizeSimulator sim;
    private final List<PersonalizeCandidateSource> opened = new ArrayList<>();

    @BeforeAll
    static void start() {
        SYSTEM_PROPERTIES.forEach((key, value) -> previousProperties.put(key, System.setProperty(key, value)));
        sim = new PersonalizeSimulator(DemoCatalog.itemIds(1000), Duration.ZERO).start(0);
    }

    @AfterAll
    static void stop() {
        sim.close();
        previousProperties.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }

    @AfterEach
    void heal() {
        opened.forEach(PersonalizeCandidateSource::close);
        sim.reset();
    }

    @Test
    void aHealthyAnswerSendsEverythingConfiguredAndKeepsTheRecommendationId() throws Exception {
        PersonalizeCandidateSource source = source(Map.of(
                "filter-arn", FILTER,
                "filter-exclude-parameter", "EXCLUDED",
                "context.DEVICE_COUNTRY", "country",
                "context.LOCALE", "language",
                "metadata-columns.ITEMS", "TITLE,GENRE",
                "promotions.0.name", "sale",
                "promotions.0.percent", "50",
                "promotions.0.filter-arn", SALE_FILTER));
        List<String> unfiltered = ids(source.fetch(query("u7", "home", 7, Set.of())));
        Set<String> excluded = new java.util.TreeSet<>(unfiltered.subList(0, 2));

        CandidateBatch batch = source.fetch(query("u7", "home", 7, excluded));

        assertThat(batch.candidates()).hasSize(7);
        assertThat(ids(batch)).doesNotContainAnyElementsOf(excluded).doesNotHaveDuplicates();
        assertThat(batch.candidates()).extracting(Candidate::score)
                .allSatisfy(score -> assertThat(score).isPositive())
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(batch.candidates()).extracting(Candidate::reason)
                .contains("sale", PersonalizeCandidateSource.RECOMMENDED);
        assertThat(batch.responseId()).startsWith("RID-");
        assertThat(batch.modelVersion()).isEqualTo(CAMPAIGN);

        JsonNode sent = lastBody();
        assertThat(sim.lastRequest().path()).isEqualTo("/recommendations");
        assertThat(sim.lastRequest().header("Authorization")).contains("Credential=AKIDBRAIDTEST/").contains("/us-east-1/");
        assertThat(sent.path("campaignArn").asText()).isEqualTo(CAMPAIGN);
        assertThat(sent.has("recommenderArn")).isFalse();
        assertThat(sent.path("userId").asText()).isEqualTo("u7");
        assertThat(sent.path("numResults").asInt()).isEqualTo(7);
        assertThat(sent.path("filterArn").asText()).isEqualTo(FILTER);
        assertThat(sent.path("filterValues").path("EXCLUDED").asText())
                .isEqualTo(String.join(",", excluded.stream().map(id -> "\"" + id + "\"").toList()));
        assertThat(sent.path("context").path("DEVICE_COUNTRY").asText()).isEqualTo("DE");
        assertThat(sent.path("context").path("LOCALE").asText()).isEqualTo("de");
        assertThat(sent.path("metadataColumns").path("ITEMS").toString()).isEqualTo("[\"TITLE\",\"GENRE\"]");
        assertThat(sent.path("promotions")).hasSize(1);
        assertThat(sent.path("promotions").get(0).path("name").asText()).isEqualTo("sale");
        assertThat(sent.path("promotions").get(0).path("percentPromotedItems").asInt()).isEqualTo(50);
        assertThat(sent.path("promotions").get(0).path("filterArn").asText()).isEqualTo(SALE_FILTER);
    }

    @Test
    void aCampaignAskedByAnExperimentIsCalledAndReportedAsTheModelVersion() throws Exception {
        String experimental = "arn:aws:personalize:us-east-1:123456789012:campaign/home-v2";
        PersonalizeCandidateSource source = source(Map.of("model-version", "home-2026-11"));
        CandidateBatch batch = source.fetch(new CandidateQuery(request("u1", "home", Set.of()), 10,
                                                               Deadline.after(Duration.ofSeconds(5)),
                                                               Map.of(SourceId.of("personalize"), experimental)));

        assertThat(lastBody().path("campaignArn").asText()).isEqualTo(experimental);
        assertThat(batch.modelVersion()).isEqualTo(experimental);
    }

    @Test
    void withoutFilterContextOrPromotionsOnlyTheBasicsAreSent() throws Exception {
        CandidateBatch batch = source(Map.of("model-version", "home-2026-11")).fetch(query("u1", "home", 25, Set.of()));

        assertThat(batch.candidates()).hasSize(25);
        assertThat(batch.modelVersion()).isEqualTo("home-2026-11");
        JsonNode sent = lastBody();
        assertThat(sent.path("numResults").asInt()).isEqualTo(25);
        assertThat(sent.has("filterArn")).isFalse();
        assertThat(sent.has("filterValues")).isFalse();
        assertThat(sent.has("context")).isFalse();
        assertThat(sent.has("metadataColumns")).isFalse();
        assertThat(sent.has("promotions")).isFalse();
    }

    @Test
    void withoutARegionTheSdksDefaultRegionChainDecides() {
        source(Map.of("region", "")).fetch(query("u1", "home", 5, Set.of()));
        assertThat(sim.lastRequest().header("Authorization")).contains("/us-west-2/personalize/aws4_request");
    }

    @Test
    void aRecommenderArnIsSentAsRecommenderArn() throws Exception {
        CandidateBatch batch = source(Map.of()).fetch(query("u1", "pdp", 5, Set.of()));

        assertThat(batch.candidates()).hasSize(5);
        assertThat(batch.modelVersion()).isEqualTo(RECOMMENDER);
        JsonNode sent = lastBody();
        assertThat(sent.path("recommenderArn").asText()).isEqualTo(RECOMMENDER);
        assertThat(sent.has("campaignArn")).isFalse();
    }

    @Test
    void atMostOneHundredIdsGoIntoTheFilterAndTheRestAreDroppedFromTheAnswer() throws Exception {
        PersonalizeCandidateSource source = source(Map.of("filter-arn", FILTER, "filter-exclude-parameter", "EXCLUDED"));
        // The user's own top 150: every one of them is in the answer unless it is excluded.
        Set<String> excluded = new LinkedHashSet<>(ids(source.fetch(query("u9", "home", 150, Set.of()))));

        CandidateBatch batch = source.fetch(query("u9", "home", 10, excluded));

        JsonNode sent = lastBody();
        assertThat(sent.path("filterValues").path("EXCLUDED").asText().split(",")).hasSize(100)
                .allSatisfy(id -> assertThat(id).startsWith("\"").endsWith("\""));
        assertThat(sent.path("numResults").asInt()).isEqualTo(10 + 50);
        assertThat(batch.candidates()).hasSize(10);
        assertThat(ids(batch)).doesNotContainAnyElementsOf(excluded);
    }

    @Test
    void slowPastTheDeadlineIsATimeoutWithinTheDeadline() {
        sim.mode(FaultMode.SLOW, Duration.ofSeconds(3), Duration.ZERO);
        assertTimesOutWithin(source(Map.of()), Duration.ofMillis(300));
    }

    @Test
    void aHungCallIsATimeoutWithinTheDeadline() {
        sim.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
        assertTimesOutWithin(source(Map.of()), Duration.ofMillis(300));
    }

    @Test
    void aServerErrorIsRetryable() {
        sim.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        SourceException failure = failure(source(Map.of()), query("u1", "home", 10, Set.of()));

        assertThat(failure.status()).isEqualTo(SourceStatus.ERROR);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure).hasMessageContaining("HTTP 500").hasMessageContaining("InternalFailure");
        assertThat(sim.requests()).isEqualTo(1);
    }

    @Test
    void throttlingIsRateLimitedWithItsRetryAfter() {
        sim.mode(FaultMode.THROTTLE, Duration.ZERO, Duration.ofSeconds(2));
        SourceException failure = failure(source(Map.of()), query("u1", "home", 10, Set.of()));

        assertThat(failure.status()).isEqualTo(SourceStatus.RATE_LIMITED);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(sim.requests()).isEqualTo(1);
    }

    @Test
    void aMalformedBodyIsAnErrorNotWorthRetrying() {
        sim.mode(FaultMode.MALFORMED, Duration.ZERO, Duration.ZERO);
        SourceException failure = failure(source(Map.of()), query("u1", "home", 10, Set.of()));

        assertThat(failure.status()).isEqualTo(SourceStatus.ERROR);
        assertThat(failure.retryable()).isFalse();
        assertThat(sim.requests()).isEqualTo(1);
    }

    @Test
    void aDownServiceIsARetryableError() {
        PersonalizeCandidateSource source = source(Map.of());
        source.fetch(query("u1", "home", 5, Set.of()));
        sim.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);

        // The pooled connection died with the server, then new connections are refused: both may pass.
        SourceException stale = failure(source, query("u1", "home", 5, Set.of()));
        SourceException refused = failure(source, query("u1", "home", 5, Set.of()));

        assertThat(List.of(stale, refused)).allSatisfy(failure -> {
            assertThat(failure.status()).isEqualTo(SourceStatus.ERROR);
            assertThat(failure.retryable()).isTrue();
        });
        assertThat(refused).hasMessageContaining("cannot connect");
        sim.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        assertThat(source.fetch(query("u1", "home", 5, Set.of())).candidates()).hasSize(5);
    }

    @Test
    void aRefusedRequestIsNotRetryableAndIsSentOnce() {
        // Personalize answers at most 500 results: its InvalidInputException (HTTP 400).
        SourceException failure = failure(source(Map.of()), query("u1", "home", 501, Set.of()));

        assertThat(failure.status()).isEqualTo(SourceStatus.ERROR);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure).hasMessageContaining("HTTP 400").hasMessageContaining("InvalidInputException");
        assertThat(sim.requests()).isEqualTo(1);
    }

    @Test
    void anAnonymousRequestIsNeverSent() {
        SourceException failure = failure(source(Map.of()), query(null, "home", 10, Set.of()));

        assertThat(failure.status()).isEqualTo(SourceStatus.ERROR);
        assertThat(failure.retryable()).isFalse();
        assertThat(sim.requests()).isZero();
    }

    @Test
    void aSurfaceWithoutAnArnFailsClearly() {
        SourceException failure = failure(source(Map.of()), query("u1", "cart", 10, Set.of()));

        assertThat(failure.status()).isEqualTo(SourceStatus.ERROR);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure).hasMessageContaining("surface 'cart'").hasMessageContaining("sources.personalize.arns.cart");
        assertThat(sim.requests()).isZero();
    }

    @Test
    void noTimeLeftIsATimeoutWithoutACall() {
        PersonalizeCandidateSource source = source(Map.of());
        RecommendationRequest request = new RecommendationRequest("u1", "home", 10, Set.of(), null, null, null);
        SourceException failure = failure(source, new CandidateQuery(request, 10, Deadline.after(Duration.ZERO)));

        assertThat(failure.status()).isEqualTo(SourceStatus.TIMEOUT);
        assertThat(sim.requests()).isZero();
    }

    @Test
    void rerankReturnsTheGivenItemsInTheSimulatorsOrder() throws Exception {
        List<String> items = IntStream.rangeClosed(1, 20).mapToObj(i -> "i" + (i * 7)).toList();
        CandidateBatch ranked = source(Map.of("context.DEVICE_COUNTRY", "country"))
                .rerank(query("u3", "home", 20, Set.of()), items);

        List<String> expected = DeterministicRanking.rerank("personalize:" + RANKING, "u3", items).stream()
                .map(DeterministicRanking.Ranked::itemId).toList();
        assertThat(ids(ranked)).isEqualTo(expected).containsExactlyInAnyOrderElementsOf(items).isNotEqualTo(items);
        assertThat(ranked.candidates()).extracting(Candidate::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(ranked.responseId()).startsWith("RID-");
        assertThat(ranked.modelVersion()).isEqualTo(RANKING);
        JsonNode sent = lastBody();
        assertThat(sim.lastRequest().path()).isEqualTo("/personalize-ranking");
        assertThat(sent.path("campaignArn").asText()).isEqualTo(RANKING);
        assertThat(sent.path("userId").asText()).isEqualTo("u3");
        assertThat(sent.path("inputList")).hasSize(20);
        assertThat(sent.path("context").path("DEVICE_COUNTRY").asText()).isEqualTo("DE");
    }

    @Test
    void rerankSendsAtMostFiveHundredItems() throws Exception {
        List<String> items = DemoCatalog.itemIds(600);
        CandidateBatch ranked = source(Map.of()).rerank(query("u3", "home", 600, Set.of()), items);

        assertThat(lastBody().path("inputList")).hasSize(PersonalizeReranker.MAX_RANKING_INPUT);
        assertThat(ids(ranked)).containsExactlyInAnyOrderElementsOf(items.subList(0, 500));
    }

    @Test
    void rerankWithoutARankingCampaignIsAnErrorWithoutACall() {
        PersonalizeConfig withoutRanking = config(Map.of("ranking-campaign-arn", ""));
        assertThat(withoutRanking.rankingCampaignArn()).isNull();
        PersonalizeCandidateSource source = open(withoutRanking);

        assertThatThrownBy(() -> source.rerank(query("u3", "home", 10, Set.of()), List.of("i1", "i2")))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.status()).isEqualTo(SourceStatus.ERROR);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e).hasMessageContaining("ranking-campaign-arn");
                });
        assertThat(sim.requests()).isZero();
    }

    @Test
    void anInterruptedCallGivesUpPromptlyAndReleasesItsConnection() throws Exception {
        PersonalizeCandidateSource source = source(Map.of("max-connections", "1", "pool-wait", "3s", "timeout", "20s"));
        source.fetch(query("u1", "home", 5, Set.of()));
        sim.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);

        CompletableFuture<Object> outcome = new CompletableFuture<>();
        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(source.fetch(new CandidateQuery(request("u1", "home", Set.of()), 5,
                                                                  Deadline.after(Duration.ofSeconds(20)))));
            } catch (RuntimeException e) {
                outcome.complete(e);
            } finally {
                stillInterrupted.complete(Thread.currentThread().isInterrupted());
            }
        });
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sim.requests() < 2 && System.nanoTime() < waitUntil) {
            Thread.sleep(5);
        }
        assertThat(sim.requests()).as("the hung request reached the simulator").isEqualTo(2);

        long interrupted = System.nanoTime();
        caller.interrupt();
        assertThat(caller.join(Duration.ofSeconds(2))).as("the interrupted call returned").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(Duration.ofMillis(500));
        assertThat(outcome.get()).isInstanceOfSatisfying(SourceException.class,
                                                         e -> assertThat(e.status()).isEqualTo(SourceStatus.TIMEOUT));
        assertThat(stillInterrupted.get()).as("the caller's interrupt flag is kept").isTrue();

        sim.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        long started = System.nanoTime();
        CandidateBatch after = source.fetch(query("u1", "home", 5, Set.of()));
        assertThat(after.candidates()).hasSize(5);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("well within the 3s pool wait")
                .isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aFullPoolIsRejectedAfterThePoolWaitAndAnInterruptedWaitGivesUpAtOnce() throws Exception {
        PersonalizeCandidateSource source = source(Map.of("max-connections", "1", "pool-wait", "200ms", "timeout", "20s"));
        sim.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
        Thread holder = Thread.ofVirtual().start(() -> {
            try {
                source.fetch(new CandidateQuery(request("u1", "home", Set.of()), 5, Deadline.after(Duration.ofSeconds(20))));
            } catch (SourceException expected) {
                // interrupted below
            }
        });
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sim.requests() < 1 && System.nanoTime() < waitUntil) {
            Thread.sleep(5);
        }
        assertThat(sim.requests()).as("the hung request holds the only connection").isEqualTo(1);

        long started = System.nanoTime();
        SourceException rejected = failure(source, query("u2", "home", 5, Set.of()));
        assertThat(rejected.status()).isEqualTo(SourceStatus.REJECTED);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(1));

        PersonalizeCandidateSource patient = source(Map.of("max-connections", "1", "pool-wait", "10s", "timeout", "20s"));
        Thread patientHolder = Thread.ofVirtual().start(() -> {
            try {
                patient.fetch(new CandidateQuery(request("u1", "home", Set.of()), 5, Deadline.after(Duration.ofSeconds(20))));
            } catch (SourceException expected) {
                // interrupted below
            }
        });
        waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sim.requests() < 2 && System.nanoTime() < waitUntil) {
            Thread.sleep(5);
        }
        assertThat(sim.requests()).as("the second hung request holds the patient pool's only connection").isEqualTo(2);
        CompletableFuture<RuntimeException> waiting = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                patient.fetch(new CandidateQuery(request("u2", "home", Set.of()), 5, Deadline.after(Duration.ofSeconds(20))));
                waiting.complete(null);
            } catch (RuntimeException e) {
                waiting.complete(e);
            }
        });
        while (!Set.of(Thread.State.WAITING, Thread.State.TIMED_WAITING).contains(waiter.getState())
               && System.nanoTime() < waitUntil) {
            Thread.sleep(1);
        }
        assertThat(waiter.getState()).as("the waiter waits for the pool's only connection")
                .isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
        long interrupted = System.nanoTime();
        waiter.interrupt();
        assertThat(waiter.join(Duration.ofSeconds(2))).as("the interrupted wait returned").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(Duration.ofMillis(500));
        assertThat(waiting.get()).isInstanceOfSatisfying(SourceException.class,
                                                         e -> assertThat(e.status()).isEqualTo(SourceStatus.TIMEOUT));
        assertThat(sim.requests()).as("the waiter never got a connection").isEqualTo(2);

        holder.interrupt();
        patientHolder.interrupt();
        assertThat(holder.join(Duration.ofSeconds(2))).isTrue();
        assertThat(patientHolder.join(Duration.ofSeconds(2))).isTrue();
    }

    private void assertTimesOutWithin(PersonalizeCandidateSource source, Duration budget) {
        long started = System.nanoTime();
        SourceException failure = failure(source, new CandidateQuery(request("u1", "home", Set.of()), 10,
                                                                     Deadline.after(budget)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(failure.status()).isEqualTo(SourceStatus.TIMEOUT);
        assertThat(took).isGreaterThanOrEqualTo(budget.minusMillis(50)).isLessThan(budget.plus(SLACK));
        assertThat(Thread.currentThread().isInterrupted()).as("the SDK's own timeout leaves no interrupt behind").isFalse();
        assertThat(sim.requests()).isEqualTo(1);
    }

    private static SourceException failure(PersonalizeCandidateSource source, CandidateQuery query) {
        try {
            CandidateBatch batch = source.fetch(query);
            throw new AssertionError("expected a SourceException, got " + batch);
        } catch (SourceException e) {
            return e;
        }
    }

    private PersonalizeCandidateSource source(Map<String, String> overrides) {
        return open(config(overrides));
    }

    private PersonalizeCandidateSource open(PersonalizeConfig config) {
        PersonalizeCandidateSource source = new PersonalizeCandidateSource(config);
        opened.add(source);
        return source;
    }

    /** A source on the simulator, as {@code sources.personalize.*} would configure it, with {@code overrides}. */
    private static PersonalizeConfig config(Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("region", "us-east-1");
        settings.put("endpoint", sim.baseUri().toString());
        settings.put("arns.home", CAMPAIGN);
        settings.put("arns.pdp", RECOMMENDER);
        settings.put("ranking-campaign-arn", RANKING);
        settings.put("timeout", "2s");
        settings.put("connect-timeout", "500ms");
        settings.put("pool-wait", "500ms");
        settings.putAll(overrides);
        Map<String, String> keys = new LinkedHashMap<>();
        settings.forEach((key, value) -> keys.put("sources.personalize." + key, value));
        Config root = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(keys)).build();
        return PersonalizeConfig.create(SourceId.of("personalize"), Settings.of(root.get("sources.personalize")));
    }

    private static CandidateQuery query(String user, String surface, int limit, Set<String> exclude) {
        return new CandidateQuery(request(user, surface, exclude), limit, Deadline.after(Duration.ofSeconds(5)));
    }

    private static RecommendationRequest request(String user, String surface, Set<String> exclude) {
        return new RecommendationRequest(user, surface, 20, exclude, "de", "DE", null);
    }

    private static JsonNode lastBody() throws Exception {
        return JSON.readTree(sim.lastRequest().body());
    }

    private static List<String> ids(CandidateBatch batch) {
        return batch.candidates().stream().map(Candidate::itemId).toList();
    }
}

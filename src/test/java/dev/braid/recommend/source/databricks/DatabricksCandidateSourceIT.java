package dev.braid.recommend.source.databricks;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.braid.config.HttpClientConfig;
import dev.braid.dev.DemoCatalog;
import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.resilience.Deadline;
import dev.braid.sim.DatabricksSimulator;
import dev.braid.sim.RecordedRequest;
import dev.braid.testing.FaultMode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The Databricks source against the Model Serving simulator: what it sends, what it makes of answers and of faults. */
class DatabricksCandidateSourceIT {
    private static final SourceId ID = SourceId.of("databricks");
    private static final String TOKEN = "dapi-test-token";
    private static final String ENDPOINT = "braid-recs";
    /** Generous: a loaded CI machine may be slow to schedule, but a call that ignored the deadline would take seconds. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    private static DatabricksSimulator sim;
    private static DatabricksCandidateSource source;

    @BeforeAll
    static void start() {
        sim = new DatabricksSimulator(DemoCatalog.itemIds(1000), Duration.ZERO, TOKEN, Set.of(ENDPOINT), "7").start(0);
        source = new DatabricksCandidateSource(config(sim, ENDPOINT, TOKEN, "fallback-3", Duration.ofSeconds(10), 8));
    }

    @AfterAll
    static void stop() {
        source.close();
        sim.close();
    }

    @AfterEach
    void heal() {
        sim.reset();
    }

    @Test
    void asksForOneDataframeRecordWithTheBearerTokenAndReadsThePrediction() throws Exception {
        String excluded = source.fetch(query("u1", Set.of(), "DE", "de", 5, Duration.ofSeconds(5)))
                .candidates().getFirst().itemId();

        CandidateBatch batch = source.fetch(query("u1", Set.of(excluded, "i-unknown"), "DE", "de", 25, Duration.ofSeconds(5)));

        assertThat(batch.candidates()).hasSize(25).allMatch(Candidate::scored)
                .extracting(Candidate::itemId).doesNotContain(excluded).doesNotHaveDuplicates();
        assertThat(batch.modelVersion()).isEqualTo("7");
        RecordedRequest sent = sim.lastRequest();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/serving-endpoints/braid-recs/invocations");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(sent.header("Content-Type")).startsWith("application/json");
        JsonNode body = JsonMapper.builder().build().readTree(sent.body());
        assertThat(body.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("dataframe_records");
        assertThat(body.get("dataframe_records")).hasSize(1);
        JsonNode row = body.get("dataframe_records").get(0);
        assertThat(row.properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactlyInAnyOrder("user_id", "surface", "num_items", "exclude", "country", "language");
        assertThat(row.get("user_id").asText()).isEqualTo("u1");
        assertThat(row.get("surface").asText()).isEqualTo("home");
        assertThat(row.get("num_items").isInt()).isTrue();
        assertThat(row.get("num_items").asInt()).isEqualTo(25);
        assertThat(row.get("exclude")).extracting(JsonNode::asText).containsExactlyInAnyOrder(excluded, "i-unknown");
        assertThat(row.get("country").asText()).isEqualTo("DE");
        assertThat(row.get("language").asText()).isEqualTo("de");
    }

    @Test
    void theConfiguredModelVersionStandsInWhenTheEndpointNamesNoneAndUnknownFieldsAreLeftOut() throws Exception {
        // A second endpoint whose answers carry "model_version": null.
        try (DatabricksSimulator unversioned = new DatabricksSimulator(DemoCatalog.itemIds(100), Duration.ZERO, TOKEN,
                                                                      Set.of(ENDPOINT), null).start(0);
             DatabricksCandidateSource other = new DatabricksCandidateSource(
                     config(unversioned, ENDPOINT, TOKEN, "fallback-3", Duration.ofSeconds(10), 2))) {
            CandidateBatch batch = other.fetch(query("u2", Set.of(), null, null, 10, Duration.ofSeconds(5)));

            assertThat(batch.candidates()).hasSize(10);
            assertThat(batch.modelVersion()).isEqualTo("fallback-3");
            JsonNode row = JsonMapper.builder().build().readTree(unversioned.lastRequest().body()).at("/dataframe_records/0");
            assertThat(row.has("country")).isFalse();
            assertThat(row.has("language")).isFalse();
            assertThat(row.get("exclude")).isEmpty();
        }
    }

    @Test
    void aModelAskedByAnExperimentIsCalledOnItsServedModelRoute() {
        RecommendationRequest request = new RecommendationRequest("u1", "home", 20, Set.of(), null, null, null);
        CandidateBatch own = source.fetch(new CandidateQuery(request, 10, Deadline.after(Duration.ofSeconds(5))));
        CandidateBatch asked = source.fetch(new CandidateQuery(request, 10, Deadline.after(Duration.ofSeconds(5)),
                                                               Map.of(ID, "braid-recs-v2")));

        assertThat(sim.lastRequest().path()).isEqualTo("/serving-endpoints/braid-recs/served-models/braid-recs-v2/invocations");
        assertThat(asked.modelVersion()).isEqualTo("braid-recs-v2");
        assertThat(asked.candidates()).extracting(Candidate::itemId)
                .isNotEqualTo(own.candidates().stream().map(Candidate::itemId).toList());
    }

    @Test
    void anAnonymousRequestIsRefusedWithoutACall() {
        SourceException failure = failure(source, query(null, Set.of(), "DE", null, 10, Duration.ofSeconds(5)));

        assertThat(failure.status()).isEqualTo(SourceStatus.ERROR);
        assertThat(failure.retryable()).isFalse();
        assertThat(sim.requests()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = FaultMode.class, names = {"SLOW", "HANG"})
    void aSlowOrHungEndpointTimesOutAtTheDeadlineNotAtTheConfiguredTimeout(FaultMode mode) {
        sim.mode(mode, Duration.ofSeconds(6), Duration.ZERO);
        Duration deadline = Duration.ofMillis(300);

        long started = System.nanoTime();
        SourceException failure = failure(source, query("u1", Set.of(), null, null, 10, deadline));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(failure.status()).isEqualTo(SourceStatus.TIMEOUT);
        assertThat(took).isLessThan(deadline.plus(SLACK));
        assertThat(sim.requests()).isEqualTo(1);
    }

    @Test
    void aServerErrorIsWorthARetry() {
        sim.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);

        SourceException failure = failure(source, anyQuery());

        assertThat(failure.status()).isEqualTo(SourceStatus.ERROR);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains("HTTP 500");
    }

    @Test
    void throttlingCarriesTheEndpointsRetryAfter() {
        sim.mode(FaultMode.THROTTLE, Duration.ZERO, Duration.ofSeconds(2));

        SourceException failure = failure(source, anyQuery());

        assertThat(failure.status()).isEqualTo(SourceStatus.RATE_LIMITED);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(2));
    }

    @Test
    void aMalformedAnswerIsAnErrorNotWorthARetry() {
        sim.mode(FaultMode.MALFORMED, Duration.ZERO, Duration.ZERO);

        SourceException failure = failure(source, anyQuery());

        assertThat(failure.status()).isEqualTo(SourceStatus.ERROR);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("malformed");
    }

    @Test
    void aDownEndpointIsWorthARetry() {
        sim.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);

        SourceException failure = failure(source, anyQuery());

        assertThat(failure.status()).isEqualTo(SourceStatus.ERROR);
        assertThat(failure.retryable()).isTrue();
    }

    @Test
    void aWrongTokenIsAnErrorNotWorthARetry() {
        try (DatabricksCandidateSource wrongToken = new DatabricksCandidateSource(
                config(sim, ENDPOINT, "dapi-revoked", null, Duration.ofSeconds(10), 2))) {
            SourceException failure = failure(wrongToken, anyQuery());

            assertThat(failure.status()).isEqualTo(SourceStatus.ERROR);
            assertThat(failure.retryable()).isFalse();
            assertThat(failure.getMessage()).contains("HTTP 401");
            assertThat(failure.getMessage()).doesNotContain("dapi-revoked");
            assertThat(sim.requests()).isEqualTo(1);
        }
    }

    @Test
    void anUnknownEndpointIsAnErrorNotWorthARetry() {
        try (DatabricksCandidateSource unknown = new DatabricksCandidateSource(
                config(sim, "no-such-endpoint", TOKEN, null, Duration.ofSeconds(10), 2))) {
            SourceException failure = failure(unknown, anyQuery());

            assertThat(failure.status()).isEqualTo(SourceStatus.ERROR);
            assertThat(failure.retryable()).isFalse();
            assertThat(failure.getMessage()).contains("HTTP 404");
            assertThat(sim.requests()).isEqualTo(1);
        }
    }

    @Test
    void anInterruptedCallReturnsPromptlyAndGivesItsConnectionBack() throws Exception {
        try (DatabricksCandidateSource single = new DatabricksCandidateSource(
                config(sim, ENDPOINT, TOKEN, null, Duration.ofSeconds(30), 1))) {
            sim.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread call = Thread.ofVirtual().start(() -> {
                try {
                    outcome.set(single.fetch(query("u1", Set.of(), null, null, 10, Duration.ofSeconds(30))));
                } catch (RuntimeException e) {
                    outcome.set(e);
                }
            });
            awaitRequests(1);
            assertThat(single.http().poolStats().getLeased()).isEqualTo(1);

            long interrupted = System.nanoTime();
            call.interrupt();
            boolean ended = call.join(Duration.ofSeconds(5));

            assertThat(ended).as("the interrupted call ended").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(SLACK);
            assertThat(outcome.get()).isInstanceOfSatisfying(SourceException.class,
                                                             e -> assertThat(e.status()).isEqualTo(SourceStatus.TIMEOUT));
            assertThat(single.http().poolStats().getLeased()).isZero();

            sim.reset();
            CandidateBatch next = single.fetch(query("u1", Set.of(), null, null, 10, Duration.ofSeconds(5)));
            assertThat(next.candidates()).hasSize(10);
            assertThat(single.http().poolStats().getLeased()).isZero();
        }
    }

    private static DatabricksConfig config(DatabricksSimulator target, String endpoint, String token, String modelVersion,
                                           Duration timeout, int maxConnections) {
        return new DatabricksConfig(ID, target.baseUri(), endpoint, token, modelVersion,
                                    new HttpClientConfig(Duration.ofMillis(500), timeout, maxConnections,
                                                         Duration.ofMillis(200)));
    }

    private static CandidateQuery anyQuery() {
        return query("u1", Set.of(), null, null, 10, Duration.ofSeconds(5));
    }

    private static CandidateQuery query(String user, Set<String> exclude, String country, String language, int limit,
                                        Duration budget) {
        return new CandidateQuery(new RecommendationRequest(user, "home", 20, exclude, language, country, null), limit,
                                  Deadline.after(budget));
    }

    private static SourceException failure(DatabricksCandidateSource target, CandidateQuery query) {
        SourceException failure = catchThrowableOfType(SourceException.class, () -> target.fetch(query));
        assertThat(failure).as("fetch failed").isNotNull();
        return failure;
    }

    /** Waits, bounded, until the simulator has received {@code count} requests. */
    private static void awaitRequests(long count) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (sim.requests() < count && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(sim.requests()).as("requests received").isEqualTo(count);
    }
}

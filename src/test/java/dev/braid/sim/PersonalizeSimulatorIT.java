package dev.braid.sim;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.braid.dev.DemoCatalog;
import dev.braid.testing.FaultMode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalizeruntime.PersonalizeRuntimeClient;
import software.amazon.awssdk.services.personalizeruntime.model.GetPersonalizedRankingResponse;
import software.amazon.awssdk.services.personalizeruntime.model.GetRecommendationsResponse;
import software.amazon.awssdk.services.personalizeruntime.model.InvalidInputException;
import software.amazon.awssdk.services.personalizeruntime.model.PersonalizeRuntimeException;
import software.amazon.awssdk.services.personalizeruntime.model.PredictedItem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real AWS SDK v2 client against the simulator: every answer and every fault in the form the SDK knows. */
class PersonalizeSimulatorIT {
    private static final String CAMPAIGN = "arn:aws:personalize:eu-west-1:123456789012:campaign/home";
    private static PersonalizeSimulator sim;
    private static PersonalizeRuntimeClient client;

    @BeforeAll
    static void start() {
        sim = new PersonalizeSimulator(DemoCatalog.itemIds(1000), Duration.ZERO).start(0);
        client = client(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")));
    }

    @AfterAll
    static void stop() {
        client.close();
        sim.close();
    }

    @AfterEach
    void heal() {
        sim.reset();
    }

    @Test
    void getRecommendationsIsDeterministicPerUserAndCampaign() {
        GetRecommendationsResponse first = client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u1").numResults(10));
        GetRecommendationsResponse again = client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u1").numResults(10));
        GetRecommendationsResponse other = client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u2").numResults(10));

        assertThat(first.itemList()).hasSize(10);
        assertThat(ids(first)).isEqualTo(ids(again)).isNotEqualTo(ids(other));
        assertThat(first.itemList()).extracting(PredictedItem::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(first.itemList().stream().mapToDouble(PredictedItem::score).sum()).isLessThanOrEqualTo(1.0);
        assertThat(first.recommendationId()).startsWith("RID-").isNotEqualTo(again.recommendationId());
        assertThat(sim.lastRequest().path()).isEqualTo("/recommendations");
    }

    @Test
    void anExclusionFilterLeavesItemsOutAndPromotionsAreMarked() {
        List<String> unfiltered = ids(client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u7").numResults(5)));
        String excluded = "\"" + unfiltered.get(0) + "\",\"" + unfiltered.get(1) + "\"";
        GetRecommendationsResponse filtered = client.getRecommendations(r -> r
                .campaignArn(CAMPAIGN).userId("u7").numResults(5)
                .filterArn("arn:aws:personalize:eu-west-1:123456789012:filter/exclude")
                .filterValues(Map.of("EXCLUDED", excluded))
                .promotions(p -> p.name("sale").percentPromotedItems(50)));

        assertThat(ids(filtered)).hasSize(5).doesNotContain(unfiltered.get(0), unfiltered.get(1));
        assertThat(filtered.itemList()).extracting(PredictedItem::promotionName).contains("sale");
    }

    @Test
    void getPersonalizedRankingReordersTheInput() {
        List<String> input = List.of("i1", "i2", "i3", "i4", "i5");
        GetPersonalizedRankingResponse ranked = client.getPersonalizedRanking(r -> r.campaignArn(CAMPAIGN).userId("u3")
                .inputList(input));
        assertThat(ranked.personalizedRanking()).extracting(PredictedItem::itemId).containsExactlyInAnyOrderElementsOf(input);
        assertThat(ranked.personalizedRanking().stream().mapToDouble(PredictedItem::score).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void badInputIsTheModeledInvalidInputException() {
        assertThatThrownBy(() -> client.getRecommendations(r -> r.userId("u1")))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).statusCode()).isEqualTo(400));
    }

    @Test
    void throttlingIsAThrottlingExceptionCarryingRetryAfter() {
        sim.mode(FaultMode.THROTTLE, Duration.ZERO, Duration.ofSeconds(2));
        assertThatThrownBy(() -> client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u1")))
                .isInstanceOfSatisfying(PersonalizeRuntimeException.class, e -> {
                    assertThat(e.isThrottlingException()).isTrue();
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                    assertThat(e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After")).contains("2");
                });
        assertThat(sim.requests()).isEqualTo(1);
    }

    @Test
    void serverErrorsAreServiceExceptionsWithTheirStatus() {
        sim.mode(FaultMode.ERROR, Duration.ZERO, Duration.ZERO);
        assertThatThrownBy(() -> client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u1")))
                .isInstanceOfSatisfying(PersonalizeRuntimeException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalFailure");
                });
    }

    @Test
    void aMalformedBodyIsAClientSideException() {
        sim.mode(FaultMode.MALFORMED, Duration.ZERO, Duration.ZERO);
        assertThatThrownBy(() -> client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u1")))
                .isInstanceOf(SdkClientException.class);
    }

    @Test
    void aHungCallEndsAtTheAttemptTimeoutAndTheSimulatorCanStillClose() {
        sim.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
        long started = System.nanoTime();
        assertThatThrownBy(() -> client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u1")))
                .isInstanceOf(ApiCallAttemptTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(450), Duration.ofSeconds(3));
        assertThat(sim.requests()).isEqualTo(1);
    }

    @Test
    void slowAddsLatency() {
        client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u1"));
        sim.mode(FaultMode.SLOW, Duration.ofMillis(150), Duration.ZERO);
        long started = System.nanoTime();
        client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u1"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void downRefusesConnectionsAndRecoversOnTheSamePort() {
        int port = sim.port();
        client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u1"));
        sim.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);
        // The pooled keep-alive connection died with the server: that call fails as "no response" ...
        assertThatThrownBy(() -> client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u1")))
                .isInstanceOf(SdkClientException.class);
        // ... and a new connection is refused.
        assertThatThrownBy(() -> client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u1")))
                .isInstanceOf(SdkClientException.class).hasStackTraceContaining("Connection refused");
        sim.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        assertThat(sim.port()).isEqualTo(port);
        assertThat(client.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u1")).itemList()).isNotEmpty();
    }

    @Test
    void unsignedRequestsAreRefused() {
        try (PersonalizeRuntimeClient anonymous = client(AnonymousCredentialsProvider.create())) {
            assertThatThrownBy(() -> anonymous.getRecommendations(r -> r.campaignArn(CAMPAIGN).userId("u1")))
                    .isInstanceOfSatisfying(PersonalizeRuntimeException.class,
                                            e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    private static PersonalizeRuntimeClient client(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        return PersonalizeRuntimeClient.builder()
                .endpointOverride(sim.baseUri())
                .region(Region.EU_WEST_1)
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder().connectionTimeout(Duration.ofSeconds(1))
                                           .socketTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofMillis(500)))
                .build();
    }

    private static List<String> ids(GetRecommendationsResponse response) {
        return response.itemList().stream().map(PredictedItem::itemId).toList();
    }
}

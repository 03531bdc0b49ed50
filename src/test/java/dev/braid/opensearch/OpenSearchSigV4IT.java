package dev.braid.opensearch;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.OpenSearchClients;
import dev.braid.TestConfigs;
import dev.braid.config.HttpClientConfig;
import dev.braid.config.InvalidConfigException;
import dev.braid.config.OpenSearchConfig;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.sim.PodIdentityAgentSimulator;
import dev.braid.sim.SigV4Gateway;
import dev.braid.sim.SigV4Verifier;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.FaultMode;
import dev.braid.testing.OpenSearchExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * OpenSearch behind AWS's SigV4 check, on the wire: a gateway that verifies each request's signature from the bytes it
 * receives (its own implementation of AWS's algorithm, {@link SigV4Verifier}) before a real OpenSearch node sees it.
 * Braid's searches are signed with the default credentials chain and accepted, Serverless requests are signed for
 * {@code aoss} with their body's hash; a refused signature, a clock that is
 * off, no credentials at all or a credentials agent that hangs cost a degraded or failed answer within the call's time,
 * never a hang; EKS Pod Identity's credentials sign requests as well.
 */
@ExtendWith(OpenSearchExtension.class)
class OpenSearchSigV4IT {
    private static final String ACCESS_KEY = "ASIABRAIDSIGV4TEST01";
    private static final String SECRET = "braid-sigv4-test-secret";
    private static final String SESSION = "braid-sigv4-test-session-token";
    private static final String REGION = "eu-west-1";
    private static final String ALIAS = "catalog-sigv4";
    private static final List<DemoCatalog.Item> ITEMS = DemoCatalog.generate(300, 41);
    /** The default chain's first step, and no instance metadata to fall back on. */
    private static final Map<String, String> AWS = Map.of("aws.accessKeyId", ACCESS_KEY, "aws.secretAccessKey", SECRET,
                                                          "aws.sessionToken", SESSION, "aws.disableEc2Metadata", "true");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Map<String, String> previous = new HashMap<>();

    private static SigV4Gateway gateway;
    private static Braid braid;

    @BeforeAll
    static void start(EmbeddedOpenSearch openSearch) {
        AWS.forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
        DemoCatalogLoader.load(openSearch.uri(), ALIAS, ITEMS);
        gateway = SigV4Gateway.start(new SigV4Verifier("es", REGION, Clock.systemUTC(), Duration.ofMinutes(5)),
                                     openSearch.uri());
        gateway.verifier().accept(ACCESS_KEY, SECRET, SESSION);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("opensearch.url", gateway.uri().toString());
        overrides.put("opensearch.sigv4.service", "es");
        overrides.put("opensearch.sigv4.region", REGION);
        overrides.put("catalog.index", ALIAS);
        overrides.put("catalog.timeout", "500ms");
        overrides.put("search.cursor-secret", "sigv4-it-secret-0123456789");
        // Refusals here are this test's subject, not the breaker's: it must not open between tests.
        overrides.put("search.guard.breaker.volume", "100000");
        overrides.put("search.guard.breaker.caller-failures", "0");
        overrides.put("search.budget", "2s");
        overrides.put("search.guard.timeout", "1500ms");
        overrides.put("search.simplified-timeout", "300ms");
        braid = Main.start(TestConfigs.local(overrides));
    }

    @AfterAll
    static void stop() {
        if (braid != null) {
            braid.stop();
        }
        gateway.close();
        previous.forEach(OpenSearchSigV4IT::restore);
    }

    @AfterEach
    void heal() {
        gateway.verifier().forgetKeys();
        gateway.verifier().accept(ACCESS_KEY, SECRET, SESSION);
    }

    @Test
    void braidsSearchesAndLookupsAreSignedWithTheDefaultChainAndAccepted() throws Exception {
        long refused = gateway.refused();
        long accepted = gateway.accepted();

        JsonNode search = ok("/v1/search?q=" + encode(ITEMS.get(3).title()) + "&size=5");
        JsonNode item = ok("/v1/items/" + ITEMS.get(7).itemId());

        assertThat(search.get("degraded").isNull()).isTrue();
        assertThat(search.get("items")).isNotEmpty();
        assertThat(item.get("item_id").asText()).isEqualTo(ITEMS.get(7).itemId());
        assertThat(gateway.refused()).as(gateway.lastRefusal()).isEqualTo(refused);
        assertThat(gateway.accepted()).isGreaterThanOrEqualTo(accepted + 2);
        assertThat(gateway.lastHeader("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/")
                .contains("/" + REGION + "/es/aws4_request")
                .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,");
        assertThat(gateway.lastHeader("X-Amz-Security-Token")).isEqualTo(SESSION);
        assertThat(gateway.lastHeader("X-Amz-Content-Sha256")).matches("[0-9a-f]{64}");
    }

    @Test
    void aRefusedSignatureDegradesSearchToWhatItRemembersAtOnce() throws Exception {
        String query = "/v1/search?q=" + encode(ITEMS.get(11).title()) + "&size=5";
        JsonNode healthy = ok(query);
        assertThat(healthy.get("degraded").isNull()).isTrue();

        // The service no longer takes Braid's secret (rotated, or the role's policy changed): every request is refused.
        gateway.verifier().accept(ACCESS_KEY, "another-secret", SESSION);
        long refused = gateway.refused();
        long started = System.nanoTime();
        JsonNode again = ok(query);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(again.get("degraded").asText()).isEqualTo("cached");
        assertThat(again.get("items")).isEqualTo(healthy.get("items"));
        assertThat(took).isLessThan(Duration.ofMillis(2_500));
        assertThat(gateway.refused()).isGreaterThan(refused);
        assertThat(gateway.lastRefusal()).startsWith("The request signature we calculated does not match");
    }

    @Test
    void serverlessRequestsAreSignedForAossWithTheirBodysHash(EmbeddedOpenSearch openSearch) {
        String emptyBody = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        AwsCredentialsProvider keys = StaticCredentialsProvider.create(AwsSessionCredentials.create(ACCESS_KEY, SECRET,
                                                                                                    SESSION));
        try (SigV4Gateway serverless = SigV4Gateway.start(
                new SigV4Verifier("aoss", REGION, Clock.systemUTC(), Duration.ofMinutes(5)), openSearch.uri())) {
            serverless.verifier().accept(ACCESS_KEY, SECRET, SESSION);
            OpenSearchClient aoss = OpenSearchClients.create(config(serverless.uri(), "aoss", REGION), keys,
                                                             Clock.systemUTC());
            OpenSearchClient es = OpenSearchClients.create(config(serverless.uri(), "es", REGION), keys,
                                                           Clock.systemUTC());
            try {
                long counted = BoundedCall.run(BoundedCall.async(aoss), Duration.ofSeconds(5), async -> async.count(
                        c -> c.index(ALIAS).query(q -> q.matchAll(m -> m)))).count();

                assertThat(counted).isEqualTo(ITEMS.size());
                assertThat(serverless.lastHeader("Authorization")).contains("/" + REGION + "/aoss/aws4_request");
                assertThat(serverless.lastHeader("X-Amz-Content-Sha256")).matches("[0-9a-f]{64}").isNotEqualTo(emptyBody);

                // Signed for the other service: refused by scope, as the collection refuses a domain's signature.
                OpenSearchFailure refused = catchThrowableOfType(OpenSearchFailure.class,
                                                                 () -> info(es, Duration.ofSeconds(5)));
                assertThat(refused.status()).isEqualTo(403);
                assertThat(serverless.lastRefusal()).startsWith("Credential should be scoped to a valid region and"
                                                                + " service");
            } finally {
                close(aoss);
                close(es);
            }
        }
    }

    @Test
    void aSignatureFromAClockTwentyMinutesSlowIsRefusedAsA403() {
        AwsCredentialsProvider keys = StaticCredentialsProvider.create(AwsSessionCredentials.create(ACCESS_KEY, SECRET,
                                                                                                    SESSION));
        OpenSearchClient client = OpenSearchClients.create(config(REGION), keys,
                                                           Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20)));
        try {
            OpenSearchFailure failure = catchThrowableOfType(OpenSearchFailure.class, () -> info(client, Duration.ofSeconds(5)));

            assertThat(failure.kind()).isEqualTo(OpenSearchFailure.Kind.REJECTED);
            assertThat(failure.status()).isEqualTo(403);
            assertThat(failure.retryable()).isFalse();
            assertThat(gateway.lastRefusal()).startsWith("Signature expired");
        } finally {
            close(client);
        }
    }

    @Test
    void withoutCredentialsACallFailsAtOnceAndNothingUnsignedIsSent(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("credentials"), "");
        // A real provider that finds nothing: the credentials file of a pod that has none.
        AwsCredentialsProvider none = ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder().content(empty).type(ProfileFile.Type.CREDENTIALS).build())
                .profileName("braid").build();
        long seen = gateway.accepted() + gateway.refused();
        OpenSearchClient client = OpenSearchClients.create(config(REGION), none, Clock.systemUTC());
        try {
            long started = System.nanoTime();
            OpenSearchFailure failure = catchThrowableOfType(OpenSearchFailure.class, () -> info(client, Duration.ofSeconds(10)));

            // At once, not at the call's limit: nothing to wait for.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(failure.kind()).isEqualTo(OpenSearchFailure.Kind.ERROR);
            assertThat(failure.getMessage()).contains("no AWS credentials to sign OpenSearch requests with")
                    .contains("braid");
            assertThat(gateway.accepted() + gateway.refused()).isEqualTo(seen);
        } finally {
            close(client);
        }
    }

    @Test
    void podIdentityCredentialsSignTheRequestsAndAHangingAgentCostsOnlyTheCallsTime(@TempDir Path dir)
            throws IOException {
        Path token = Files.writeString(dir.resolve("eks-pod-identity-token"), "eyJhbGciOiJSUzI1NiJ9.pod.signature");
        Map<String, String> before = new HashMap<>();
        try (PodIdentityAgentSimulator agent = new PodIdentityAgentSimulator(Files.readString(token)).start(0)) {
            // What EKS puts in a pod's environment, as the system properties the SDK reads first (this JVM's
            // environment cannot be changed; PodIdentityCredentialsIT uses the environment itself).
            Map.of("aws.containerCredentialsFullUri", agent.fullUri(),
                   "aws.containerAuthorizationTokenFile", token.toString())
                    .forEach((key, value) -> before.put(key, System.setProperty(key, value)));
            gateway.verifier().accept(PodIdentityAgentSimulator.ACCESS_KEY_ID, PodIdentityAgentSimulator.SECRET_ACCESS_KEY,
                                      PodIdentityAgentSimulator.SESSION_TOKEN);

            OpenSearchClient client = OpenSearchClients.create(config(REGION), ContainerCredentialsProvider.builder()
                    .build(), Clock.systemUTC());
            try {
                assertThat(info(client, Duration.ofSeconds(5)).version().number()).isNotBlank();
            } finally {
                close(client);
            }
            assertThat(agent.lastRequest().header("Authorization")).isEqualTo(Files.readString(token));
            assertThat(gateway.lastHeader("Authorization"))
                    .startsWith("AWS4-HMAC-SHA256 Credential=" + PodIdentityAgentSimulator.ACCESS_KEY_ID + "/");

            agent.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
            long seen = gateway.accepted() + gateway.refused();
            OpenSearchClient stuck = OpenSearchClients.create(config(REGION), ContainerCredentialsProvider.builder()
                    .build(), Clock.systemUTC());
            try {
                long started = System.nanoTime();
                OpenSearchFailure failure = catchThrowableOfType(OpenSearchFailure.class,
                                                                 () -> info(stuck, Duration.ofMillis(400)));

                // The call's limit and a margin for a busy machine; the SDK's own retries would take seconds more.
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
                assertThat(failure.kind()).isEqualTo(OpenSearchFailure.Kind.TIMEOUT);
                assertThat(gateway.accepted() + gateway.refused()).isEqualTo(seen);
            } finally {
                agent.mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
                close(stuck);
            }
        } finally {
            before.forEach(OpenSearchSigV4IT::restore);
        }
    }

    @Test
    void theRegionComesFromTheSdksChainWhenNotConfigured() {
        String previousRegion = System.setProperty("aws.region", REGION);
        try {
            OpenSearchClient client = OpenSearchClients.create(config(""));
            try {
                assertThat(info(client, Duration.ofSeconds(5)).clusterName()).isNotBlank();
                assertThat(gateway.lastHeader("Authorization")).contains("/" + REGION + "/es/aws4_request");
            } finally {
                close(client);
            }
        } finally {
            restore("aws.region", previousRegion);
        }
    }

    @Test
    void noRegionAnywhereStopsStartUpNamingTheSetting(@TempDir Path dir) {
        assumeThat(System.getenv("AWS_REGION")).as("AWS_REGION is set in this environment").isNull();
        assumeThat(System.getenv("AWS_DEFAULT_REGION")).as("AWS_DEFAULT_REGION is set in this environment").isNull();
        String previousRegion = System.clearProperty("aws.region");
        String previousConfig = System.setProperty("aws.configFile", dir.resolve("no-config").toString());
        try {
            assertThatThrownBy(() -> OpenSearchClients.create(config("")))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("opensearch.sigv4.region");
        } finally {
            restore("aws.region", previousRegion);
            restore("aws.configFile", previousConfig);
        }
    }

    private static OpenSearchConfig config(String region) {
        return config(gateway.uri(), "es", region);
    }

    private static OpenSearchConfig config(URI url, String service, String region) {
        return new OpenSearchConfig(url, "", "", new OpenSearchConfig.SigV4(service, region),
                                    new HttpClientConfig(Duration.ofSeconds(1), Duration.ofSeconds(5), 4,
                                                         Duration.ofSeconds(1)));
    }

    private static org.opensearch.client.opensearch.core.InfoResponse info(OpenSearchClient client, Duration limit) {
        return BoundedCall.run(BoundedCall.async(client), limit, async -> async.info());
    }

    private static void close(OpenSearchClient client) {
        try {
            client._transport().close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static JsonNode ok(String path) throws Exception {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.apiPort() + path))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " → " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

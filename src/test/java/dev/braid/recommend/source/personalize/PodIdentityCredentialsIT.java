package dev.braid.recommend.source.personalize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.braid.dev.DemoCatalog;
import dev.braid.sim.PersonalizeSimulator;
import dev.braid.sim.PodIdentityAgentSimulator;
import dev.braid.sim.RecordedRequest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS default credentials chain in a pod with EKS Pod Identity: no keys anywhere, only what EKS injects, the agent's
 * full URI ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}) and the projected service-account token's file
 * ({@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}). As in {@link WebIdentityCredentialsIT}, a JVM of its own gets exactly
 * that environment; the agent and Personalize are simulated on the wire. The region comes from the source's config or,
 * without it, from the chain ({@code AWS_REGION}).
 */
class PodIdentityCredentialsIT {
    private static final String SERVICE_ACCOUNT_TOKEN = "eyJhbGciOiJSUzI1NiJ9.braid-pod-identity.signature";
    private static PodIdentityAgentSimulator agent;
    private static PersonalizeSimulator personalize;

    @BeforeAll
    static void start() {
        agent = new PodIdentityAgentSimulator(SERVICE_ACCOUNT_TOKEN).start(0);
        personalize = new PersonalizeSimulator(DemoCatalog.itemIds(100), Duration.ZERO).start(0);
    }

    @AfterAll
    static void stop() {
        agent.close();
        personalize.close();
    }

    @Test
    void theAgentsCredentialsSignTheCallsInTheRegionOfTheChain(@TempDir Path dir) throws Exception {
        WebIdentityProbe.Result probe = probe(podEnvironment(token(dir, SERVICE_ACCOUNT_TOKEN), Map.of("AWS_REGION", "us-east-1")), dir,
                             null);

        assertThat(probe.exit()).as(probe.output()).isZero();
        assertThat(probe.output()).contains("candidates=10");
        RecordedRequest fetch = agent.lastRequest();
        assertThat(fetch.path()).isEqualTo(PodIdentityAgentSimulator.PATH);
        assertThat(fetch.header("Authorization")).isEqualTo(SERVICE_ACCOUNT_TOKEN);
        RecordedRequest call = personalize.lastRequest();
        assertThat(call.header("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + PodIdentityAgentSimulator.ACCESS_KEY_ID + "/")
                .contains("/us-east-1/personalize/aws4_request");
        assertThat(call.header("X-Amz-Security-Token")).isEqualTo(PodIdentityAgentSimulator.SESSION_TOKEN);
    }

    @Test
    void aConfiguredRegionIsSignedForWithoutAnyInTheEnvironment(@TempDir Path dir) throws Exception {
        WebIdentityProbe.Result probe = probe(podEnvironment(token(dir, SERVICE_ACCOUNT_TOKEN), Map.of()), dir, "eu-central-1");

        assertThat(probe.exit()).as(probe.output()).isZero();
        assertThat(personalize.lastRequest().header("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + PodIdentityAgentSimulator.ACCESS_KEY_ID + "/")
                .contains("/eu-central-1/personalize/aws4_request");
    }

    @Test
    void aTokenTheAgentRefusesFailsTheCallWithoutSendingIt(@TempDir Path dir) throws Exception {
        long calls = personalize.requests();
        long fetches = agent.requests();

        WebIdentityProbe.Result probe = probe(podEnvironment(token(dir, "eyJhbGciOiJSUzI1NiJ9.expired.signature"),
                                            Map.of("AWS_REGION", "us-east-1")), dir, null);

        assertThat(probe.exit()).isNotZero();
        assertThat(probe.output()).contains("Unable to load credentials");
        assertThat(agent.requests()).isGreaterThan(fetches);
        assertThat(personalize.requests()).isEqualTo(calls);
    }

    private static Path token(Path dir, String content) throws IOException {
        return Files.writeString(dir.resolve("eks-pod-identity-token"), content);
    }

    /** What EKS injects into a pod whose service account is associated with a role, and {@code more}. */
    private static Map<String, String> podEnvironment(Path token, Map<String, String> more) {
        Map<String, String> environment = new java.util.HashMap<>(more);
        environment.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.fullUri());
        environment.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token.toString());
        return environment;
    }

    /** Runs {@link WebIdentityProbe} with {@code environment} and nothing else of AWS's; {@code region} configured. */
    private static WebIdentityProbe.Result probe(Map<String, String> environment, Path dir, String region)
            throws IOException, InterruptedException {
        return WebIdentityProbe.run(personalize.baseUri(), region, environment, dir);
    }
}

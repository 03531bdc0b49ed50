package dev.braid.recommend.source.personalize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.braid.dev.DemoCatalog;
import dev.braid.sim.PersonalizeSimulator;
import dev.braid.sim.RecordedRequest;
import dev.braid.sim.StsSimulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS default credentials chain in a pod with IRSA: no keys anywhere, only the projected service-account token and
 * the role to assume, in environment variables. A JVM of its own gets exactly that environment, so nothing of this
 * test JVM (its system properties, its credentials) can stand in; STS and Personalize are simulated on the wire.
 */
class WebIdentityCredentialsIT {
    private static final String ROLE = "arn:aws:iam::123456789012:role/braid";
    private static StsSimulator sts;
    private static PersonalizeSimulator personalize;

    @BeforeAll
    static void start() {
        sts = new StsSimulator().start(0);
        personalize = new PersonalizeSimulator(DemoCatalog.itemIds(100), Duration.ZERO).start(0);
    }

    @AfterAll
    static void stop() {
        sts.close();
        personalize.close();
    }

    @Test
    void theServiceAccountTokenIsExchangedAtStsAndItsCredentialsSignTheCalls(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "eyJhbGciOiJSUzI1NiJ9.braid-service-account.signature");

        Result probe = probe(Map.of(
                "AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
                "AWS_ROLE_ARN", ROLE,
                "AWS_ROLE_SESSION_NAME", "braid-pod",
                "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_STS", sts.baseUri().toString()), dir);

        assertThat(probe.exit()).as(probe.output()).isZero();
        assertThat(probe.output()).contains("candidates=10");
        RecordedRequest exchange = sts.lastRequest();
        assertThat(StsSimulator.form(exchange)).containsEntry("Action", "AssumeRoleWithWebIdentity")
                .containsEntry("RoleArn", ROLE).containsEntry("RoleSessionName", "braid-pod")
                .containsEntry("WebIdentityToken", Files.readString(token));
        RecordedRequest call = personalize.lastRequest();
        assertThat(call.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + StsSimulator.ACCESS_KEY_ID
                                                            + "/");
        assertThat(call.header("X-Amz-Security-Token")).isEqualTo(StsSimulator.SESSION_TOKEN);
    }

    @Test
    void withoutAnyCredentialsTheCallFailsAsAnErrorNotAHang(@TempDir Path dir) throws Exception {
        long before = personalize.requests();

        Result probe = probe(Map.of("AWS_REGION", "us-east-1"), dir);

        assertThat(probe.exit()).isNotZero();
        assertThat(probe.output()).contains("Unable to load credentials");
        assertThat(personalize.requests()).isEqualTo(before);
    }

    private record Result(int exit, String output) {
    }

    /** Runs {@link WebIdentityProbe} with {@code environment} and nothing else of AWS's. */
    private static Result probe(Map<String, String> environment, Path dir) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "--enable-preview", "-cp",
                                                            System.getProperty("java.class.path"),
                                                            WebIdentityProbe.class.getName(),
                                                            personalize.baseUri().toString()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        // No profile files and no instance metadata: the chain can only succeed through what the test sets.
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.putAll(environment);
        Path output = dir.resolve("probe-" + System.nanoTime() + ".log");
        Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the probe did not finish within 60 s: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}

package dev.braid.recommend.source.personalize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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

        WebIdentityProbe.Result probe = probe(Map.of(
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

        WebIdentityProbe.Result probe = probe(Map.of("AWS_REGION", "us-east-1"), dir);

        assertThat(probe.exit()).isNotZero();
        assertThat(probe.output()).contains("Unable to load credentials");
        assertThat(personalize.requests()).isEqualTo(before);
    }

    private static WebIdentityProbe.Result probe(Map<String, String> environment, Path dir)
            throws IOException, InterruptedException {
        return WebIdentityProbe.run(personalize.baseUri(), null, environment, dir);
    }
}

package dev.braid.sim;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The EKS Pod Identity agent as the AWS SDK's container credentials provider sees it: {@code GET /v1/credentials} (the
 * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} EKS injects, {@code http://169.254.170.23/v1/credentials} in a pod) with the
 * pod's projected service-account token, read from {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}, as its
 * {@code Authorization} header. A token it knows buys the role's temporary credentials (JSON, as the agent answers);
 * a missing or unknown one is refused, as the agent refuses a token EKS Auth does not accept.
 */
public final class PodIdentityAgentSimulator extends HttpSimulator {
    /** The temporary credentials every accepted token buys. */
    public static final String ACCESS_KEY_ID = "ASIABRAIDPODIDENTITY1";
    public static final String SECRET_ACCESS_KEY = "braid-pod-identity-simulated-secret";
    public static final String SESSION_TOKEN = "braid-pod-identity-simulated-session-token";
    public static final String PATH = "/v1/credentials";

    private final String acceptedToken;

    /** An agent that accepts the service-account token {@code acceptedToken} (the projected token file's content). */
    public PodIdentityAgentSimulator(String acceptedToken) {
        super("pod-identity-agent", Duration.ZERO);
        this.acceptedToken = acceptedToken;
    }

    /** The full URI a pod's environment names, for {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}. */
    public String fullUri() {
        return baseUri() + PATH;
    }

    @Override
    protected SimulatedAnswer answer(RecordedRequest request) {
        if (!"GET".equals(request.method()) || !PATH.equals(request.path())) {
            return message(404, "Not Found");
        }
        String token = request.header("Authorization");
        if (token == null || token.isBlank()) {
            return message(400, "Service account token cannot be empty");
        }
        if (!token.equals(acceptedToken)) {
            return message(401, "Service account token failed to authenticate: token is invalid or expired");
        }
        String expiration = Instant.now().plus(Duration.ofHours(6)).truncatedTo(ChronoUnit.SECONDS).toString();
        return SimulatedAnswer.json(200, """
                {"AccessKeyId":"%s","SecretAccessKey":"%s","Token":"%s","AccountId":"123456789012","Expiration":"%s"}
                """.formatted(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, expiration).strip());
    }

    @Override
    protected SimulatedAnswer serverError() {
        return message(500, "Internal Server Error");
    }

    @Override
    protected SimulatedAnswer throttled() {
        return message(429, "Too Many Requests");
    }

    @Override
    protected SimulatedAnswer malformed() {
        return SimulatedAnswer.json(200, "{\"AccessKeyId\":\"ASIA");
    }

    private static SimulatedAnswer message(int status, String message) {
        return new SimulatedAnswer(status, Map.of("Content-Type", "application/json"),
                                   ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}

package dev.braid.recommend.source.databricks;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.braid.config.HttpClientConfig;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.recommend.source.PooledHttpClient;
import dev.braid.resilience.Deadline;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * A service principal's OAuth access tokens (client credentials, machine to machine), fetched from the workspace's
 * {@code /oidc/v1/token} endpoint and cached. A token is refreshed in the background once three quarters of its life
 * have passed, so calls keep using the current one meanwhile; a call waits only when there is no good token at all,
 * and never beyond its own deadline. However many calls need a token at once, one fetch is in flight, and all of them
 * share its answer. A failed fetch is remembered for {@link #AFTER_FAILURE}, so a refusing or broken token endpoint is
 * not asked again by every call.
 */
final class ServicePrincipalTokens implements Bearer {
    private static final Logger LOG = Logger.getLogger(ServicePrincipalTokens.class.getName());
    /** One fetch's limit: off the request path, shared by every call waiting for it. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    static final Duration AFTER_FAILURE = Duration.ofSeconds(2);
    /** A token is not sent this close to its expiry (at most a tenth of its life): it could expire on the way. */
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);
    private static final ObjectReader ANSWER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build().readerFor(Answer.class);

    private final SourceId source;
    private final DatabricksConfig.ServicePrincipal principal;
    private final String tokenEndpoint;
    private final PooledHttpClient http;
    private final Clock clock;
    private final AtomicReference<Token> current = new AtomicReference<>();
    private final Object fetching = new Object();
    /** The fetch in flight, or the last failed one while it is remembered; guarded by {@link #fetching}. */
    private Fetch fetch;

    /** An access token and the instants that decide its use. */
    private record Token(String value, Instant refreshFrom, Instant usableUntil) {
    }

    /** A fetch: its answer, and when it finished (null while in flight). */
    private record Fetch(CompletableFuture<Token> answer, Instant failedAt) {
    }

    /** The token endpoint's answer (RFC 6749 section 5.1 and 5.2). */
    record Answer(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
                  @JsonProperty("expires_in") Long expiresIn, @JsonProperty("error") String error,
                  @JsonProperty("error_description") String errorDescription) {
    }

    ServicePrincipalTokens(DatabricksConfig config, DatabricksConfig.ServicePrincipal principal, Clock clock) {
        this.source = config.id();
        this.principal = principal;
        this.tokenEndpoint = config.tokenEndpoint().toString();
        // A pool of its own: a slow token endpoint never holds a scoring call's connection, nor the reverse.
        this.http = new PooledHttpClient(config.id(), new HttpClientConfig(config.http().connectTimeout(), FETCH_TIMEOUT,
                                                                          2, FETCH_TIMEOUT));
        this.clock = clock;
    }

    @Override
    public String token(Deadline deadline) {
        Token token = current.get();
        Instant now = clock.instant();
        if (token != null && now.isBefore(token.usableUntil())) {
            if (!now.isBefore(token.refreshFrom())) {
                fetch(); // in the background: this call goes on with the current token
            }
            return token.value();
        }
        CompletableFuture<Token> answer = fetch();
        try {
            return answer.get(Math.max(0, deadline.remaining().toNanos()), TimeUnit.NANOSECONDS).value();
        } catch (TimeoutException e) {
            throw new SourceException(SourceStatus.TIMEOUT, source + ": no OAuth token from " + tokenEndpoint
                                                            + " before the deadline", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException(SourceStatus.TIMEOUT, source + ": cancelled while waiting for an OAuth token", e);
        } catch (ExecutionException e) {
            // Each waiter gets its own exception: the shared one would collect every waiter's suppressed failures.
            if (e.getCause() instanceof SourceException failed) {
                throw failed.retryable() ? SourceException.transientError(failed.getMessage(), failed)
                                         : new SourceException(failed.status(), failed.getMessage(), failed);
            }
            throw new SourceException(SourceStatus.ERROR, source + ": no OAuth token: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public boolean refused(String token) {
        current.updateAndGet(held -> held != null && held.value().equals(token) ? null : held);
        return true;
    }

    /**
     * Fetches the first token now, waiting at most {@code wait}: a refusal of the client credentials (a 4xx other than
     * 429) is returned, so that start-up can stop on it; an outage or a slow answer is not (calls fetch a token later).
     */
    Optional<SourceException> refusalAtStart(Duration wait) {
        try {
            fetch().get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SourceException failed && !failed.retryable()) {
                return Optional.of(failed);
            }
        } catch (TimeoutException e) {
            // Not answered yet: the fetch goes on, and calls share it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    /** The fetch in flight, a remembered failure, or a new fetch on a thread of its own. */
    private CompletableFuture<Token> fetch() {
        synchronized (fetching) {
            Instant now = clock.instant();
            if (fetch != null && (fetch.failedAt() == null || now.isBefore(fetch.failedAt().plus(AFTER_FAILURE)))) {
                return fetch.answer();
            }
            CompletableFuture<Token> answer = new CompletableFuture<>();
            fetch = new Fetch(answer, null);
            Thread.ofVirtual().name("databricks-token-" + source).start(() -> complete(answer));
            return answer;
        }
    }

    private void complete(CompletableFuture<Token> answer) {
        Instant asked = clock.instant();
        try {
            Token token = exchange(asked);
            current.set(token);
            synchronized (fetching) {
                fetch = null;
            }
            answer.complete(token);
        } catch (RuntimeException e) {
            LOG.warning(() -> e.getMessage());
            synchronized (fetching) {
                fetch = new Fetch(answer, clock.instant());
            }
            answer.completeExceptionally(e);
        }
    }

    /** One client-credentials exchange: {@code POST /oidc/v1/token} with HTTP basic authentication. */
    private Token exchange(Instant asked) {
        HttpPost post = new HttpPost(tokenEndpoint);
        String basic = principal.clientId() + ":" + principal.clientSecret();
        post.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                basic.getBytes(StandardCharsets.UTF_8)));
        post.setEntity(new StringEntity("grant_type=client_credentials&scope=" + DatabricksConfig.SCOPE,
                                        ContentType.APPLICATION_FORM_URLENCODED));
        PooledHttpClient.Response response;
        try {
            response = http.send(post, Deadline.after(FETCH_TIMEOUT));
        } catch (SourceException e) {
            throw SourceException.transientError(source + ": the token endpoint " + tokenEndpoint
                                                 + " did not answer: " + e.getMessage(), e);
        }
        Answer answer = parse(response.body());
        if (response.status() == 200 && answer != null && answer.accessToken() != null
            && !answer.accessToken().isBlank() && answer.expiresIn() != null && answer.expiresIn() > 0) {
            Duration life = Duration.ofSeconds(answer.expiresIn());
            Instant expires = asked.plus(life);
            Duration margin = EXPIRY_MARGIN.compareTo(life.dividedBy(10)) < 0 ? EXPIRY_MARGIN : life.dividedBy(10);
            return new Token(answer.accessToken(), expires.minus(life.dividedBy(4)), expires.minus(margin));
        }
        String why = answer == null || answer.error() == null ? "" : " " + answer.error()
                + (answer.errorDescription() == null ? "" : ": " + answer.errorDescription());
        if (response.status() == 200) {
            throw new SourceException(SourceStatus.ERROR, source + ": the token endpoint " + tokenEndpoint
                                                          + " answered without an access token and its lifetime");
        }
        if (response.status() == 429 || response.status() >= 500) {
            throw SourceException.transientError(source + ": the token endpoint " + tokenEndpoint + " answered HTTP "
                                                 + response.status() + why, null);
        }
        // Any other 4xx: the workspace refused this service principal's credentials, and will again.
        throw new SourceException(SourceStatus.ERROR, source + ": the workspace refused the client credentials of "
                                                      + "service principal " + principal.clientId() + " (HTTP "
                                                      + response.status() + why + ")");
    }

    private static Answer parse(byte[] body) {
        try {
            return ANSWER.readValue(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "ServicePrincipalTokens[" + source + ", clientId=" + principal.clientId() + "]";
    }
}

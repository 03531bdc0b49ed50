package dev.braid.opensearch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The AWS credentials requests are signed with, never waited for longer than the request may wait. The SDK's providers
 * block their caller while they fetch (STS for IRSA, the Pod Identity agent, instance metadata), with timeouts of
 * seconds; here they are asked on a thread of their own, one question at a time, and again in the background while the
 * credentials held are still good (a minute after the last answer, or five minutes before they expire). A request
 * waits only when nothing good is held, at most its own limit, and without holding a thread: it goes on when the
 * answer comes.
 */
final class SigningCredentials {
    /** How long credentials without an expiry (keys from the environment) are used before the chain is asked again. */
    private static final Duration RECHECK = Duration.ofMinutes(1);
    /** Credentials this close to their expiry are not used: a request could arrive after it. */
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);

    private final AwsCredentialsProvider provider;
    private final Clock clock;
    private final Object asking = new Object();
    private volatile Held held;
    /** The question in flight; guarded by {@link #asking}. */
    private CompletableFuture<Held> question;

    private record Held(AwsCredentials credentials, Instant recheckAt, Instant usableUntil) {
    }

    SigningCredentials(AwsCredentialsProvider provider, Clock clock) {
        this.provider = provider;
        this.clock = clock;
    }

    /** Asks the chain now, behind the caller: the first requests then find credentials held instead of waiting. */
    void prefetch() {
        ask(held);
    }

    /**
     * Credentials held and still good, or {@code null} when there are none: never waits. Asks the chain again behind
     * the caller when it is time to.
     */
    AwsCredentials now() {
        Held current = held;
        Instant now = clock.instant();
        if (current != null && now.isBefore(current.usableUntil())) {
            if (!now.isBefore(current.recheckAt())) {
                ask(current);
            }
            return current.credentials();
        }
        return null;
    }

    /**
     * The next credentials, without blocking the caller (an HTTP client's I/O thread, which every exchange of the client
     * shares): completed by the chain's answer, or failed after {@code wait}.
     *
     * @return completes with credentials, or fails with an {@link IOException}: the chain found none, or none within
     *         {@code wait} ({@link SocketTimeoutException}; the question goes on for the next call)
     */
    CompletableFuture<AwsCredentials> next(Duration wait) {
        AwsCredentials good = now();
        if (good != null) {
            return CompletableFuture.completedFuture(good);
        }
        CompletableFuture<AwsCredentials> next = new CompletableFuture<>();
        ask(held).whenComplete((answer, failure) -> {
            if (failure == null) {
                next.complete(answer.credentials());
            } else {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                next.completeExceptionally(new IOException("no AWS credentials to sign OpenSearch requests with: "
                                                           + cause.getMessage(), cause));
            }
        });
        long millis = Math.max(1, wait.toMillis());
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS).execute(() -> next.completeExceptionally(
                new SocketTimeoutException("no AWS credentials within " + millis + " ms (the credentials chain is still"
                                           + " asking)")));
        return next;
    }

    /**
     * Credentials to sign with, waiting (blocking the caller) at most {@code wait} when none are held.
     *
     * @throws IOException as {@link #next(Duration)} fails
     */
    AwsCredentials within(Duration wait) throws IOException {
        AwsCredentials good = now();
        if (good != null) {
            return good;
        }
        try {
            return next(wait).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for AWS credentials");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /**
     * The question in flight, or a new one; none when an answer came in since the caller read {@code seen} (those
     * credentials are the answer: asking again would fetch them twice).
     */
    private CompletableFuture<Held> ask(Held seen) {
        synchronized (asking) {
            if (held != seen && held != null) {
                return CompletableFuture.completedFuture(held);
            }
            if (question == null) {
                CompletableFuture<Held> answer = new CompletableFuture<>();
                question = answer;
                Thread.ofVirtual().name("opensearch-aws-credentials").start(() -> answer(answer));
            }
            return question;
        }
    }

    private void answer(CompletableFuture<Held> answer) {
        try {
            AwsCredentials credentials = provider.resolveCredentials();
            Instant now = clock.instant();
            Instant expires = credentials.expirationTime().orElse(null);
            Held fresh = expires == null ? new Held(credentials, now.plus(RECHECK), Instant.MAX)
                    : new Held(credentials, earlier(now.plus(RECHECK), expires.minus(REFRESH_AHEAD)), expires.minus(MARGIN));
            finished(fresh);
            answer.complete(fresh);
        } catch (RuntimeException e) {
            finished(null);
            answer.completeExceptionally(e);
        }
    }

    /**
     * The question is over, and its answer (if any) is what is held, in one step: a request that sees these
     * credentials and finds them too old asks anew, instead of joining the question that brought them.
     */
    private void finished(Held fresh) {
        synchronized (asking) {
            if (fresh != null) {
                held = fresh;
            }
            question = null;
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}

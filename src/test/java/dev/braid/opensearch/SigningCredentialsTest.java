package dev.braid.opensearch;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.braid.testing.MutableClock;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * When the signer asks the credentials chain, and how long a request waits for it: once for many requests, again
 * before temporary credentials expire, never longer than the request's own limit. The chain is a counting stand-in here;
 * the real chain, agent and service are {@link OpenSearchSigV4IT}'s.
 */
class SigningCredentialsTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final MutableClock clock = new MutableClock(START);

    /** Hands out numbered temporary credentials, valid for {@code life}, once {@code open} lets it. */
    private final class Chain implements AwsCredentialsProvider {
        final AtomicInteger asked = new AtomicInteger();
        final CountDownLatch open = new CountDownLatch(1);
        final Duration life;

        Chain(Duration life, boolean open) {
            this.life = life;
            if (open) {
                this.open.countDown();
            }
        }

        @Override
        public AwsCredentials resolveCredentials() {
            int n = asked.incrementAndGet();
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return AwsSessionCredentials.builder().accessKeyId("ASIA" + n).secretAccessKey("secret-" + n)
                    .sessionToken("token-" + n).expirationTime(clock.instant().plus(life)).build();
        }
    }

    @Test
    void manyRequestsAtOnceMakeOneQuestion() throws Exception {
        Chain chain = new Chain(Duration.ofHours(1), false);
        SigningCredentials credentials = new SigningCredentials(chain, clock);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<AwsCredentials>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(threads.submit(() -> credentials.within(Duration.ofSeconds(30))));
            }
            chain.open.countDown();
            for (Future<AwsCredentials> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS).accessKeyId()).isEqualTo("ASIA1");
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(chain.asked).hasValue(1);
    }

    @Test
    void heldCredentialsAreRenewedInTheBackgroundAndNeverUsedIntoTheirLastSeconds() throws Exception {
        Chain chain = new Chain(Duration.ofMinutes(10), true);
        SigningCredentials credentials = new SigningCredentials(chain, clock);
        assertThat(credentials.within(Duration.ofSeconds(5)).accessKeyId()).isEqualTo("ASIA1");

        // Within the minute: the held ones, no question.
        clock.advance(Duration.ofSeconds(59));
        assertThat(credentials.within(Duration.ofSeconds(5)).accessKeyId()).isEqualTo("ASIA1");
        assertThat(chain.asked).hasValue(1);

        // Past the minute: still good, so still used, while the chain is asked again behind the request.
        clock.advance(Duration.ofSeconds(2));
        assertThat(credentials.within(Duration.ofSeconds(5)).accessKeyId()).isEqualTo("ASIA1");
        // Until the background answer is in, requests keep getting the first ones (and join the question in flight).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String used = "ASIA1";
        while (used.equals("ASIA1") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            used = credentials.within(Duration.ofSeconds(5)).accessKeyId();
        }
        assertThat(used).isEqualTo("ASIA2");
        assertThat(chain.asked).hasValue(2);

        // Thirty seconds before the second ones expire they are no longer sent: a request waits for new ones.
        clock.advance(Duration.ofMinutes(10).minusSeconds(30));
        assertThat(credentials.within(Duration.ofSeconds(5)).accessKeyId()).isEqualTo("ASIA3");
        assertThat(chain.asked).hasValue(3);
    }

    @Test
    void waitingForTheChainHoldsNoThread() throws Exception {
        // What the signer does on the HTTP client's I/O thread: it gets a future and goes on when it completes.
        Chain slow = new Chain(Duration.ofHours(1), false);
        CompletableFuture<AwsCredentials> next = new SigningCredentials(slow, clock).next(Duration.ofSeconds(30));
        assertThat(next).isNotDone();
        slow.open.countDown();
        assertThat(next.get(30, TimeUnit.SECONDS).accessKeyId()).isEqualTo("ASIA1");

        Chain stuck = new Chain(Duration.ofHours(1), false);
        CompletableFuture<AwsCredentials> late = new SigningCredentials(stuck, clock).next(Duration.ofMillis(100));
        assertThatThrownBy(() -> late.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SocketTimeoutException.class);
        stuck.open.countDown();
    }

    @Test
    void aChainThatFindsNothingFailsTheRequestWithItsReason() {
        AwsCredentialsProvider nothing = () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        };
        SigningCredentials credentials = new SigningCredentials(nothing, clock);

        assertThatThrownBy(() -> credentials.within(Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class)
                .hasMessage("no AWS credentials to sign OpenSearch requests with: Unable to load credentials from any of"
                            + " the providers in the chain");
    }

    @Test
    void aChainThatDoesNotAnswerCostsTheRequestItsLimitOnly() throws Exception {
        Chain stuck = new Chain(Duration.ofHours(1), false);
        SigningCredentials credentials = new SigningCredentials(stuck, clock);
        long started = System.nanoTime();

        assertThatThrownBy(() -> credentials.within(Duration.ofMillis(100)))
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("no AWS credentials within 100 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

        // The question goes on: once the chain answers, the next request has them at once.
        stuck.open.countDown();
        assertThat(credentials.within(Duration.ofSeconds(5)).accessKeyId()).isEqualTo("ASIA1");
        assertThat(stuck.asked).hasValue(1);
    }
}

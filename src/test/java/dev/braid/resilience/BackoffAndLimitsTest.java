package dev.braid.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The small pieces of the guard, with time and randomness under the test's control. */
class BackoffAndLimitsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void fullJitterDrawsBelowADoublingCeilingUpToTheMax() {
        FullJitterBackoff highest = new FullJitterBackoff(Duration.ofMillis(10), Duration.ofMillis(100), () -> 0.999_999);
        assertThat(highest.delay(0)).isLessThan(Duration.ofMillis(10)).isGreaterThan(Duration.ofMillis(9));
        assertThat(highest.delay(1)).isLessThan(Duration.ofMillis(20)).isGreaterThan(Duration.ofMillis(19));
        assertThat(highest.delay(2)).isLessThan(Duration.ofMillis(40)).isGreaterThan(Duration.ofMillis(39));
        assertThat(highest.delay(10)).isLessThan(Duration.ofMillis(100)).isGreaterThan(Duration.ofMillis(99));
        assertThat(highest.delay(200)).isLessThan(Duration.ofMillis(100));

        FullJitterBackoff lowest = new FullJitterBackoff(Duration.ofMillis(10), Duration.ofMillis(100), () -> 0.0);
        assertThat(lowest.delay(5)).isZero();
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
        assertThat(RetryAfter.parse("2", clock)).contains(Duration.ofSeconds(2));
        assertThat(RetryAfter.parse(" 0 ", clock)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("Wed, 25 Nov 2026 10:00:07 GMT", clock)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse("Wed, 25 Nov 2026 09:59:00 GMT", clock)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("99999999999999999999", clock)).contains(RetryAfter.LONGEST);
        assertThat(RetryAfter.parse("soon", clock)).isEmpty();
        assertThat(RetryAfter.parse("-5", clock)).isEmpty();
        assertThat(RetryAfter.parse(null, clock)).isEmpty();
    }

    @Test
    void theTokenBucketAllowsABurstThenTheRate() {
        TokenBucket bucket = new TokenBucket(10, 3, now::get);
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).as("burst spent").isFalse();
        now.addAndGet(Duration.ofMillis(99).toNanos());
        assertThat(bucket.tryAcquire()).as("a token takes 100ms at 10/s").isFalse();
        now.addAndGet(Duration.ofMillis(2).toNanos());
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryAcquire()).isTrue();
        }
        assertThat(bucket.tryAcquire()).as("saved tokens never exceed the burst").isFalse();
    }

    @Test
    void aRetryAfterHoldsEveryCallOffUntilItHasPassed() {
        TokenBucket unlimited = TokenBucket.unlimited(now::get);
        assertThat(unlimited.tryAcquire()).isTrue();
        unlimited.holdOff(Duration.ofSeconds(2));
        unlimited.holdOff(Duration.ofMillis(100));
        assertThat(unlimited.tryAcquire()).isFalse();
        now.addAndGet(Duration.ofMillis(1_999).toNanos());
        assertThat(unlimited.tryAcquire()).as("a shorter hold-off does not cut a longer one").isFalse();
        now.addAndGet(Duration.ofMillis(2).toNanos());
        assertThat(unlimited.tryAcquire()).isTrue();
    }

    @Test
    void theHedgingDelayIsTheP95OfEnoughSamples() {
        LatencyWindow window = new LatencyWindow(100);
        for (int i = 1; i < LatencyWindow.MIN_SAMPLES; i++) {
            window.record(Duration.ofMillis(i));
        }
        assertThat(window.p95()).as("too few samples").isEmpty();
        for (int i = LatencyWindow.MIN_SAMPLES; i <= 100; i++) {
            window.record(Duration.ofMillis(i));
        }
        assertThat(window.p95()).contains(Duration.ofMillis(95));
        for (int i = 0; i < 100; i++) {
            window.record(Duration.ofMillis(7));
        }
        assertThat(window.p95()).as("old samples leave the window").contains(Duration.ofMillis(7));
    }
}

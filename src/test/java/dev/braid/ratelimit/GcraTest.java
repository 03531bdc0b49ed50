package dev.braid.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GcraTest {
    private static final RateLimitConfig.Quota TEN_PER_10S = new RateLimitConfig.Quota(10, Duration.ofSeconds(10));
    private static final long SECOND = 1_000_000;

    @Test
    void theWholeQuotaMayComeAtOnceThenOneRequestComesBackPerInterval() {
        long now = 1_000 * SECOND;
        long tat = 0;
        for (int i = 0; i < 10; i++) {
            Gcra.Step step = Gcra.step(tat, now, TEN_PER_10S);
            assertThat(step.decision().allowed()).isTrue();
            assertThat(step.decision().remaining()).isEqualTo(9 - i);
            tat = step.tatMicros();
        }
        Gcra.Step refused = Gcra.step(tat, now, TEN_PER_10S);
        assertThat(refused.decision().allowed()).isFalse();
        assertThat(refused.decision().remaining()).isZero();
        assertThat(refused.decision().resetAfter()).isEqualTo(1);
        assertThat(refused.tatMicros()).as("a refusal costs nothing").isEqualTo(tat);

        // One interval (1 s) later exactly one more fits.
        Gcra.Step later = Gcra.step(tat, now + SECOND, TEN_PER_10S);
        assertThat(later.decision().allowed()).isTrue();
        assertThat(later.decision().remaining()).isZero();
        assertThat(Gcra.step(later.tatMicros(), now + SECOND, TEN_PER_10S).decision().allowed()).isFalse();
    }

    @Test
    void resetIsTheTimeUntilTheQuotaIsWholeAgainRoundedUp() {
        long now = 50 * SECOND;
        Gcra.Step first = Gcra.step(0, now, TEN_PER_10S);
        assertThat(first.decision().resetAfter()).isEqualTo(1);
        Gcra.Step second = Gcra.step(first.tatMicros(), now + SECOND / 2, TEN_PER_10S);
        // TAT is now + 2 s; seen from now + 0.5 s that is 1.5 s, said as 2.
        assertThat(second.decision().resetAfter()).isEqualTo(2);
        assertThat(second.decision().quota()).isEqualTo(10);
        assertThat(second.decision().window()).isEqualTo(10);
    }

    @Test
    void aLocalLimiterAllowsItsShareOfTheQuota() {
        RateLimitConfig config = new RateLimitConfig(true, 3, java.util.Map.of(
                "recommendations", new RateLimitConfig.Quota(10, Duration.ofSeconds(60)),
                "search", TEN_PER_10S, "items", TEN_PER_10S, "events", TEN_PER_10S));
        AtomicLong clock = new AtomicLong(7 * SECOND);
        LocalRateLimiter limiter = new LocalRateLimiter(config, 3, 100, clock::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.decide("recommendations", "u:a").allowed()).isTrue();
        }
        RateDecision over = limiter.decide("recommendations", "u:a");
        assertThat(over.allowed()).isFalse();
        assertThat(over.quota()).isEqualTo(3);
        assertThat(limiter.decide("recommendations", "u:b").allowed()).isTrue();
        assertThat(limiter.decide("search", "u:a").allowed()).isTrue();
        clock.addAndGet(20 * SECOND);
        assertThat(limiter.decide("recommendations", "u:a").allowed()).isTrue();
    }
}

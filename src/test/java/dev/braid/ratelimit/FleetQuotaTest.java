package dev.braid.ratelimit;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.braid.observe.BraidMeters;

import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A downstream's fleet-wide quota: the shared count decides while it answers, this replica's share while it does not. */
class FleetQuotaTest {
    private static final BraidMeters METERS = new BraidMeters(Metrics.globalRegistry());
    private final AtomicLong micros = new AtomicLong(5_000_000_000L);
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger sharedCalls = new AtomicInteger();
    private final SharedQuotas shared = new SharedQuotas() {
        @Override
        public boolean tryTake(String name, Rate rate) {
            if (down.get()) {
                throw new RateLimiter.SharedCountUnavailableException("down", null);
            }
            return sharedCalls.incrementAndGet() <= 3;
        }

        @Override
        public long available(String name, Rate rate) {
            if (down.get()) {
                throw new RateLimiter.SharedCountUnavailableException("down", null);
            }
            return Math.max(0, 3 - sharedCalls.get());
        }
    };

    @Test
    void theSharedCountDecidesWhileItAnswers() {
        FleetQuota quota = new FleetQuota("fq-shared-" + System.nanoTime(), new Rate(30, 6), 3, shared, METERS,
                                          micros::get);

        assertThat(quota.tryAcquire()).isTrue();
        assertThat(quota.tryAcquire()).isTrue();
        assertThat(quota.tryAcquire()).isTrue();
        assertThat(quota.tryAcquire()).as("the fleet's count is spent").isFalse();
        assertThat(quota.snapshot().countedBy()).isEqualTo("fleet");
        assertThat(quota.snapshot().fleetAvailableNow()).isZero();
    }

    @Test
    void withoutTheSharedCountEachReplicaAllowsItsShareOfTheRateAndBurst() {
        FleetQuota quota = new FleetQuota("fq-local-" + System.nanoTime(), new Rate(30, 6), 3, shared, METERS,
                                          micros::get);
        down.set(true);

        // A share of 10 calls a second with a burst of 2: two at once, then one per 100 ms.
        assertThat(quota.tryAcquire()).isTrue();
        assertThat(quota.tryAcquire()).isTrue();
        assertThat(quota.tryAcquire()).isFalse();
        micros.addAndGet(100_000);
        assertThat(quota.tryAcquire()).isTrue();
        assertThat(quota.tryAcquire()).isFalse();
        int allowed = 0;
        for (int i = 0; i < 10_000; i++) {
            micros.addAndGet(1_000);
            allowed += quota.tryAcquire() ? 1 : 0;
        }
        // Ten seconds at a tenth of a millisecond's granularity: 10 a second, never more.
        assertThat(allowed).isBetween(99, 101);
        FleetQuota.Snapshot snapshot = quota.snapshot();
        assertThat(snapshot.countedBy()).isEqualTo("replica");
        assertThat(snapshot.fallbackPerSecond()).isEqualTo(10);
        assertThat(snapshot.fleetAvailableNow()).isNull();
    }

    @Test
    void withoutAStoreAtAllTheShareIsForGood() {
        FleetQuota quota = new FleetQuota("fq-none-" + System.nanoTime(), new Rate(4, 2), 2, null, METERS, micros::get);
        assertThat(quota.tryAcquire()).isTrue();
        assertThat(quota.tryAcquire()).isFalse();
        assertThat(quota.snapshot().countedBy()).isEqualTo("replica");
    }
}

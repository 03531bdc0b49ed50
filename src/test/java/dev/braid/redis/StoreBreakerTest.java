package dev.braid.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.braid.redis.StoreBreaker.State;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared tier's breaker on a hand-moved clock: no sleeping. */
class StoreBreakerTest {
    private static final Duration OPEN_FOR = Duration.ofSeconds(2);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final StoreBreaker breaker = new StoreBreaker(new RedisConfig.Breaker(3, OPEN_FOR), now::get);

    @Test
    void opensAfterTheConfiguredFailuresInARowAndRefusesUntilOpenForHasPassed() {
        fail(2);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        fail(1);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
        advance(OPEN_FOR.minusMillis(1));
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    void aSuccessResetsTheCount() {
        fail(2);
        succeed();
        fail(2);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void afterOpenForOneProbeAtATimeGoesThroughAndItsSuccessCloses() throws Exception {
        fail(3);
        advance(OPEN_FOR);

        assertThat(breaker.tryAcquire()).as("the probe").isTrue();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(onAnotherThread(breaker::tryAcquire)).as("a second caller while the probe runs").isFalse();

        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(onAnotherThread(breaker::tryAcquire)).isTrue();
    }

    @Test
    void aFailedProbeOpensForAnotherFullPeriod() {
        fail(3);
        advance(OPEN_FOR);
        assertThat(breaker.tryAcquire()).isTrue();

        breaker.onFailure();

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        advance(OPEN_FOR.minusMillis(1));
        assertThat(breaker.tryAcquire()).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void lateResultsOfCallsStartedBeforeItOpenedDecideNothing() throws Exception {
        fail(3);
        onAnotherThread(() -> {
            breaker.onSuccess();
            return true;
        });
        assertThat(breaker.state()).as("a late success while open").isEqualTo(State.OPEN);

        advance(OPEN_FOR);
        assertThat(breaker.tryAcquire()).isTrue();
        onAnotherThread(() -> {
            breaker.onSuccess();
            return true;
        });
        assertThat(breaker.state()).as("a late success while the probe runs").isEqualTo(State.HALF_OPEN);
        onAnotherThread(() -> {
            breaker.onFailure();
            return true;
        });
        assertThat(breaker.state()).as("a late failure while the probe runs").isEqualTo(State.HALF_OPEN);
    }

    @Test
    void anAbandonedProbeHandsItsSlotToTheNextCallerAtOnce() throws Exception {
        fail(3);
        advance(OPEN_FOR);
        assertThat(breaker.tryAcquire()).isTrue();

        breaker.abandon();

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(onAnotherThread(breaker::tryAcquire)).isTrue();
    }

    @Test
    void aProbeThatNeverReportsIsReplacedAfterAnotherPeriod() throws Exception {
        fail(3);
        advance(OPEN_FOR);
        assertThat(onAnotherThread(breaker::tryAcquire)).isTrue();

        assertThat(breaker.tryAcquire()).isFalse();
        advance(OPEN_FOR);
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertThat(breaker.tryAcquire()).isTrue();
            breaker.onFailure();
        }
    }

    private void succeed() {
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess();
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    /** Results are reported per thread: another caller is another thread. */
    private static boolean onAnotherThread(java.util.function.BooleanSupplier action) throws InterruptedException {
        AtomicBoolean result = new AtomicBoolean();
        Thread thread = Thread.ofVirtual().start(() -> result.set(action.getAsBoolean()));
        thread.join();
        return result.get();
    }
}

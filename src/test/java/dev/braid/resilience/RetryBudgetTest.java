package dev.braid.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The retry budget over its sliding window, on a clock the test moves. */
class RetryBudgetTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    @Test
    void retriesMayAddTheRatioOfTheCallsPlusTheFloorAndNoMore() {
        RetryBudget budget = new RetryBudget(new GuardConfig.Budget(0.1, Duration.ofSeconds(10), 1), now::get);
        for (int i = 0; i < 200; i++) {
            budget.call();
        }

        int allowed = 0;
        while (budget.tryRetry()) {
            allowed++;
        }

        // 10% of 200 calls, plus 1 a second over the 10 s window.
        assertThat(allowed).isEqualTo(30);
    }

    @Test
    void theWindowSlidesCallsAndRetriesOlderThanItNoLongerCount() {
        RetryBudget budget = new RetryBudget(new GuardConfig.Budget(0.1, Duration.ofSeconds(10), 0), now::get);
        for (int i = 0; i < 100; i++) {
            budget.call();
        }
        for (int i = 0; i < 10; i++) {
            assertThat(budget.tryRetry()).isTrue();
        }
        assertThat(budget.tryRetry()).as("spent").isFalse();

        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(budget.tryRetry()).as("still within the window").isFalse();
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(budget.tryRetry()).as("the calls have left the window too: nothing to spend").isFalse();
        for (int i = 0; i < 20; i++) {
            budget.call();
        }
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isFalse();
    }

    @Test
    void aRefundedRetryCanBeTakenAgain() {
        RetryBudget budget = new RetryBudget(new GuardConfig.Budget(0, Duration.ofSeconds(10), 0.1), now::get);
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isFalse();
        budget.refund();
        assertThat(budget.tryRetry()).isTrue();
    }
}

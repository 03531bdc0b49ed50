package dev.braid.resilience;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineTest {

    @Test
    void theEarlierLimitWins() {
        Deadline budget = Deadline.after(Duration.ofSeconds(10));
        assertThat(budget.atMost(Duration.ofMillis(100)).remaining()).isLessThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Deadline.after(Duration.ofMillis(100)).atMost(Duration.ofSeconds(10)).remaining())
                .isLessThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aCallNeverGetsMoreThanWhatIsLeft() {
        Deadline deadline = Deadline.after(Duration.ofMillis(50));
        assertThat(deadline.cap(Duration.ofSeconds(5))).isLessThanOrEqualTo(Duration.ofMillis(50));
        assertThat(Deadline.after(Duration.ofSeconds(5)).cap(Duration.ofMillis(20))).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void theReserveComesOffTheEnd() {
        Deadline deadline = Deadline.after(Duration.ofMillis(100)).minus(Duration.ofMillis(100));
        assertThat(deadline.expired()).isTrue();
        assertThat(deadline.remaining()).isEqualTo(Duration.ZERO);
    }
}

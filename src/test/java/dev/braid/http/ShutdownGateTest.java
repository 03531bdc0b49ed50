package dev.braid.http;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownGateTest {

    @Test
    void anIdleGateClosesAtOnce() throws InterruptedException {
        ShutdownGate gate = new ShutdownGate();
        gate.close();
        assertThat(gate.isOpen()).isFalse();
        assertThat(gate.awaitIdle(Duration.ZERO)).isTrue();
    }

    @Test
    void theWaitEndsAfterTheGraceWhenARequestNeverFinishes() throws InterruptedException {
        ShutdownGate gate = new ShutdownGate();
        // A request that entered and is still running, as the filter counts it.
        Thread running = Thread.ofVirtual().start(() -> gate.filter(() -> {
            try {
                Thread.sleep(Duration.ofMinutes(1));
            } catch (InterruptedException ignored) {
                // ends the request
            }
        }, null, null));
        while (gate.inFlight() == 0) {
            Thread.onSpinWait();
        }
        gate.close();
        long started = System.nanoTime();
        assertThat(gate.awaitIdle(Duration.ofMillis(100))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(100));

        running.interrupt();
        assertThat(gate.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(gate.inFlight()).isZero();
    }
}

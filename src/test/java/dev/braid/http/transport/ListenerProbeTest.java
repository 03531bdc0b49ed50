package dev.braid.http.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A listener is dead only when its port refuses connections; a port that is slow to accept is merely busy. */
class ListenerProbeTest {

    @Test
    void aListeningPortIsAliveEvenIfNobodyAcceptsAndAClosedOneIsNot() throws IOException {
        ListenerProbe probe = new ListenerProbe("0.0.0.0");
        int port;
        // Backlog 1 and no accept(): connections wait in the kernel, as on a replica too busy to accept.
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = listening.getLocalPort();
            probe.listening(port);
            assertThat(probe.alive()).isTrue();
        }
        assertThat(probe.alive()).isFalse();
    }

    @Test
    void beforeThePortListensThereIsNothingToProbe() {
        assertThat(new ListenerProbe("127.0.0.1").alive()).isTrue();
    }

    @Test
    void theApiPortGetsWhatTheDescriptorLimitLeaves() {
        assertThat(FileDescriptorBudget.apiConnections(10_000, 256, 1, OptionalLong.empty())).isEqualTo(10_000);
        assertThat(FileDescriptorBudget.apiConnections(10_000, 256, 1, OptionalLong.of(1_048_576))).isEqualTo(10_000);
        // bin/dev's three replicas in one process with the usual 20,000: each gets a third of what is left.
        assertThat(FileDescriptorBudget.apiConnections(10_000, 256, 3, OptionalLong.of(20_000)))
                .isEqualTo((20_000 - FileDescriptorBudget.RESERVE) / 3 - 256);
        assertThat(FileDescriptorBudget.apiConnections(10_000, 256, 1, OptionalLong.of(1_024))).isEqualTo(1);
    }
}

package dev.braid.observe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceParentTest {

    @Test
    void theCallersContextPassesOnUnchanged() {
        TraceParent incoming = TraceParent.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                                                 "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE").orElseThrow();

        assertThat(incoming.header()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(incoming.state()).isEqualTo("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        assertThat(incoming.sampled()).isTrue();
    }

    @Test
    void anInvalidTraceStateIsDroppedAndTheParentKept() {
        assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", "a=b\nforged: line"))
                .hasValueSatisfying(trace -> {
                    assertThat(trace.state()).isNull();
                    assertThat(trace.sampled()).isFalse();
                });
        assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "k=" + "v".repeat(600)))
                .hasValueSatisfying(trace -> assertThat(trace.state()).isNull());
    }

    @Test
    void invalidHeadersAreIgnoredAsTheSpecificationAsks() {
        assertThat(TraceParent.parse(null)).isEmpty();
        assertThat(TraceParent.parse("garbage")).isEmpty();
        assertThat(TraceParent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isEmpty();
        assertThat(TraceParent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isEmpty();
    }

    @Test
    void aNewTraceIsValidAndNotSampled() {
        TraceParent started = TraceParent.startTrace();
        assertThat(TraceParent.parse(started.header())).contains(started);
        assertThat(started.flags()).isEqualTo("00");
    }
}

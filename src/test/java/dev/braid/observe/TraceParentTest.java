package dev.braid.observe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceParentTest {

    @Test
    void joinsTheCallersTraceWithAFreshParentPerCall() {
        TraceParent incoming = TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").orElseThrow();
        String first = incoming.childHeader();
        String second = incoming.childHeader();

        assertThat(first).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01");
        assertThat(first).isNotEqualTo(second).doesNotContain("00f067aa0ba902b7");
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

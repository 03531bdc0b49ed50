package dev.braid.recommend;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a user counts as new: only when the store answered and had no history and no purchase. */
class SignalsTest {

    @Test
    void aKnownUserWithoutAnythingIsCold() {
        assertThat(new Signals(List.of(), List.of(), Set.of(), true).cold()).isTrue();
    }

    @Test
    void aViewOrAPurchaseMakesAUserWarm() {
        assertThat(new Signals(List.of("i1"), List.of(), Set.of(), true).cold()).isFalse();
        // Affinities without history: still new, and they pick the popular items it sees.
        assertThat(new Signals(List.of(), List.of("shoes"), Set.of(), true).cold()).isTrue();
        assertThat(new Signals(List.of(), List.of(), Set.of("i2"), true).cold()).isFalse();
    }

    @Test
    void unknownSignalsAreNeverColdAndCarryNothing() {
        assertThat(Signals.unknown().cold()).isFalse();
        assertThat(Signals.unknown().known()).isFalse();
        assertThat(UserSignals.none().of("u1")).isEqualTo(Signals.unknown());
        assertThatThrownBy(() -> new Signals(List.of("i1"), List.of(), Set.of(), false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

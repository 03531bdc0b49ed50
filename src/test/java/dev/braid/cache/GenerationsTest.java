package dev.braid.cache;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a replica reads generations (pure logic over an in-memory store). */
class GenerationsTest {
    private final MemoryStore store = new MemoryStore();

    @Test
    void withoutReuseEveryReadAsksTheSharedTier() {
        Generations generations = new Generations(store, Duration.ZERO, 10);
        generations.of("u");
        generations.bump("u");
        assertThat(generations.of("u")).hasValue(1);
        assertThat(store.reads).hasValue(2);
    }

    @Test
    void anUnreadableGenerationIsUnknownNeverZeroAndTheLastReadIsRemembered() {
        Generations generations = new Generations(store, Duration.ZERO, 10);
        store.generations.put("u", 4L);
        assertThat(generations.of("u")).hasValue(4);
        store.down = true;
        assertThat(generations.of("u")).isEmpty();
        assertThat(generations.lastRead("u")).hasValue(4);
        assertThat(generations.lastRead("never-read")).isEmpty();
        assertThat(generations.bump("u")).as("not applied").isFalse();
        store.down = false;
        assertThat(generations.bump("u")).isTrue();
        assertThat(generations.of("u")).hasValue(5);
    }

    @Test
    void withReuseOneReadServesUntilThisReplicaBumps() {
        Generations generations = new Generations(store, Duration.ofMinutes(1), 10);
        assertThat(generations.of("u")).hasValue(0);
        store.generations.put("u", 5L);   // another replica bumped it
        assertThat(generations.of("u")).hasValue(0);
        assertThat(store.reads).hasValue(1);
        generations.bump("u");
        assertThat(generations.of("u")).hasValue(6);
    }

    @Test
    void whilePushesAreLiveAGenerationIsReadOnceAndKeptUntilAPushSaysItMoved() {
        Generations generations = new Generations(store, Duration.ZERO, 10);
        generations.live();
        assertThat(generations.of("u")).hasValue(0);
        assertThat(generations.of("u")).hasValue(0);
        assertThat(generations.of("never-bumped")).hasValue(0);
        assertThat(generations.of("never-bumped")).hasValue(0);
        assertThat(store.reads).as("one read each, a user without a generation key included").hasValue(2);

        store.generations.put("u", 3L);   // another replica bumped it; its push arrives
        generations.changed("u");
        assertThat(generations.of("u")).hasValue(3);
        assertThat(store.reads).hasValue(3);
    }

    @Test
    void thisReplicasOwnBumpIsSeenAtOnce() {
        Generations generations = new Generations(store, Duration.ZERO, 10);
        generations.live();
        generations.of("u");
        generations.bump("u");
        assertThat(generations.of("u")).hasValue(1);
    }

    @Test
    void aPushThatArrivesWhileTheGenerationIsReadKeepsThatReadOutOfMemory() {
        Generations generations = new Generations(store, Duration.ZERO, 10);
        generations.live();
        store.duringRead = () -> {
            // The read has its answer (0); the bump it missed lands and is pushed before the read returns.
            store.duringRead = () -> {
            };
            store.generations.put("u", 1L);
            generations.changed("u");
        };
        assertThat(generations.of("u")).hasValue(0);
        assertThat(generations.remembers("u")).isFalse();
        assertThat(generations.of("u")).hasValue(1);
        assertThat(generations.remembers("u")).isTrue();
    }

    @Test
    void losingThePushesForgetsEverythingAndReadsEveryTimeUntilTheyAreBack() {
        Generations generations = new Generations(store, Duration.ZERO, 10);
        generations.live();
        generations.of("u");
        generations.lost();
        assertThat(generations.remembers("u")).isFalse();
        generations.of("u");
        generations.of("u");
        assertThat(store.reads).hasValue(3);

        // A read that began before the pushes came back is not kept: what it missed in between is unknown.
        store.duringRead = generations::live;
        generations.of("u");
        assertThat(generations.remembers("u")).isFalse();
        store.duringRead = () -> {
        };
        generations.of("u");
        generations.of("u");
        assertThat(store.reads).hasValue(5);
    }
}

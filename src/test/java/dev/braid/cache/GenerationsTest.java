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
}

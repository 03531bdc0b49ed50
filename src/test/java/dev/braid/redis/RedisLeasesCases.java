package dev.braid.redis;

import java.time.Duration;
import java.util.UUID;

import dev.braid.jobs.JobResults;
import dev.braid.jobs.Leases;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Leases and fenced writes of singleton jobs on a real Redis (standalone, and a cluster: every script's keys share the
 * job's hash slot): one owner at a time, tokens that only grow, a lease renewed and released by its owner alone, taken
 * over after it expired, and writes refused under a token older than the last accepted.
 */
abstract class RedisLeasesCases {
    private static final Duration TTL = Duration.ofSeconds(30);

    abstract UnifiedJedis direct();

    abstract boolean cluster();

    private RedisLeases leases() {
        return new RedisLeases(direct());
    }

    @Test
    void oneOwnerAtATimeAndEveryGrantHasALargerFence() {
        String job = job();
        Leases.Grant first = granted(leases().acquire(job, "a", TTL));

        Leases.Attempt other = leases().acquire(job, "b", TTL);
        Leases.Grant again = granted(leases().acquire(job, "a", TTL));

        assertThat(other).isInstanceOfSatisfying(Leases.Held.class, held -> {
            assertThat(held.holder()).isEqualTo("a");
            assertThat(held.remaining()).isPositive().isLessThanOrEqualTo(TTL);
        });
        // The owner asking again (a renewal it did not hear back from) keeps its grant and token.
        assertThat(again.fence()).isEqualTo(first.fence());
        assertThat(first.takeover()).isFalse();
        leases().release(first);
        Leases.Grant next = granted(leases().acquire(job, "b", TTL));
        assertThat(next.fence()).isGreaterThan(first.fence());
        assertThat(next.previous()).isEqualTo("a");
        assertThat(next.takeover()).isTrue();
    }

    @Test
    void aLeaseIsNeverRenewedNorReleasedByANonOwner() {
        String job = job();
        Leases.Grant owner = granted(leases().acquire(job, "a", TTL));
        Leases.Grant impostor = new Leases.Grant(job, "b", owner.fence() + 1, "");

        assertThat(leases().renew(impostor, TTL)).isFalse();
        leases().release(impostor);

        assertThat(direct().hget(RedisLeases.leaseKey(job), "owner")).isEqualTo("a");
        assertThat(leases().acquire(job, "b", TTL)).isInstanceOf(Leases.Held.class);
        assertThat(leases().renew(owner, TTL)).isTrue();
        leases().release(owner);
        assertThat(direct().exists(RedisLeases.leaseKey(job))).isFalse();
    }

    @Test
    void anExpiredLeaseIsTakenOverWithANewerFenceAndItsFormerOwnerCannotRenewIt() throws Exception {
        String job = job();
        Leases.Grant stale = granted(leases().acquire(job, "a", Duration.ofMillis(300)));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (direct().exists(RedisLeases.leaseKey(job)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        Leases.Grant successor = granted(leases().acquire(job, "b", TTL));

        assertThat(successor.fence()).isGreaterThan(stale.fence());
        assertThat(successor.takeover()).isTrue();
        assertThat(leases().renew(stale, TTL)).as("the former owner's renewal").isFalse();
        leases().release(stale);
        assertThat(direct().hget(RedisLeases.leaseKey(job), "owner")).isEqualTo("b");
    }

    @Test
    void aWriteUnderATokenOlderThanTheLastAcceptedIsRefused() {
        String job = job();
        JobResults results = leases();

        assertThat(results.publish(job, 5, "five", TTL)).isTrue();
        assertThat(results.publish(job, 4, "four", TTL)).as("the stale holder's write").isFalse();
        assertThat(results.latest(job)).hasValueSatisfying(latest -> {
            assertThat(latest.value()).isEqualTo("five");
            assertThat(latest.fence()).isEqualTo(5);
        });
        // The same holder writes again under its token; a newer one overrides it.
        assertThat(results.publish(job, 5, "five again", TTL)).isTrue();
        assertThat(results.publish(job, 6, "six", TTL)).isTrue();
        assertThat(results.latest(job).orElseThrow().value()).isEqualTo("six");
        assertThat(results.latest(job("nothing-published"))).isEmpty();
    }

    @Test
    void theTrendingRebaseIsFencedAndKeepsTheOrderOfEveryScore() {
        RedisEventSink sink = new RedisEventSink(direct(), cluster());
        direct().del(RedisEventSink.TRENDING, RedisEventSink.TRENDING_BASE, RedisEventSink.TRENDING_FENCE);
        try {
            direct().zadd(RedisEventSink.TRENDING, 8.0, "hot");
            direct().zadd(RedisEventSink.TRENDING, 2.0, "warm");

            assertThat(sink.rebaseTrending(2.0, 7)).isTrue();
            assertThat(sink.rebaseTrending(5.0, 6)).as("a rebase under an older token").isFalse();

            assertThat(Double.parseDouble(direct().get(RedisEventSink.TRENDING_BASE))).isEqualTo(2.0);
            assertThat(direct().zscore(RedisEventSink.TRENDING, "hot")).isCloseTo(8 * Math.exp(-2), within(1e-12));
            assertThat(direct().zscore(RedisEventSink.TRENDING, "warm")).isCloseTo(2 * Math.exp(-2), within(1e-12));
            // Rebasing to where it is changes nothing.
            assertThat(sink.rebaseTrending(2.0, 7)).isTrue();
            assertThat(direct().zscore(RedisEventSink.TRENDING, "hot")).isCloseTo(8 * Math.exp(-2), within(1e-12));
        } finally {
            // The next tests' rebase jobs start their tokens from their own counter.
            direct().del(RedisEventSink.TRENDING, RedisEventSink.TRENDING_BASE, RedisEventSink.TRENDING_FENCE);
        }
    }

    private static Leases.Grant granted(Leases.Attempt attempt) {
        assertThat(attempt).isInstanceOf(Leases.Granted.class);
        return ((Leases.Granted) attempt).grant();
    }

    private static String job() {
        return job("job");
    }

    private static String job(String name) {
        return name + "-" + UUID.randomUUID();
    }
}

package dev.braid.jobs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.braid.observe.BraidMeters;

import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler of one singleton job against a lease store the test controls: it runs only while it holds the lease,
 * a store that stops answering is asked again at a measured pace (never in a spin) until the lease would have expired,
 * a paused holder renews nothing, and without a store the job runs here with fence 0.
 */
class SingletonJobTest {
    private static final BraidMeters METERS = new BraidMeters(Metrics.globalRegistry());
    private static final Duration TTL = Duration.ofMillis(600);

    /** A store that grants the lease to whoever asks first, with fence 7, and counts renewals. */
    private static final class Store implements Leases {
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger renewals = new AtomicInteger();
        volatile String owner;

        @Override
        public Attempt acquire(String job, String candidate, Duration ttl) {
            if (down.get()) {
                throw new LeaseUnavailableException("down", null);
            }
            synchronized (this) {
                if (owner == null || owner.equals(candidate)) {
                    owner = candidate;
                    return new Granted(new Grant(job, candidate, 7, ""));
                }
                return new Held(owner, ttl);
            }
        }

        @Override
        public boolean renew(Grant grant, Duration ttl) {
            renewals.incrementAndGet();
            if (down.get()) {
                throw new LeaseUnavailableException("down", null);
            }
            return grant.owner().equals(owner);
        }

        @Override
        public void release(Grant grant) {
            synchronized (this) {
                if (grant.owner().equals(owner)) {
                    owner = null;
                }
            }
        }
    }

    @Test
    void onlyTheHolderRunsAndItsRunsCarryTheGrantsFence() throws Exception {
        Store store = new Store();
        List<Long> fences = new CopyOnWriteArrayList<>();
        try (SingletonJob first = job(store, fences); SingletonJob second = job(store, fences)) {
            first.start();
            await(() -> first.holding() && !fences.isEmpty());
            second.start();
            second.runNow();
            first.runNow();
            await(() -> fences.size() >= 2);

            assertThat(second.holding()).isFalse();
            assertThat(second.stats().runs()).isZero();
            assertThat(fences).containsOnly(7L);
        }
    }

    @Test
    void aHolderCutOffFromTheStoreAsksAgainAtAPaceAndGivesTheJobUpWhenItsLeaseWouldHaveExpired() throws Exception {
        Store store = new Store();
        try (SingletonJob job = job(store, new CopyOnWriteArrayList<>())) {
            job.start();
            await(job::holding);
            int before = store.renewals.get();
            long cut = System.nanoTime();
            store.down.set(true);

            await(() -> !job.holding());
            Duration held = Duration.ofNanos(System.nanoTime() - cut);

            // A renewal every tenth of the lease at most while the store is down, not a spin.
            assertThat(store.renewals.get() - before).isBetween(1, 20);
            assertThat(held).isGreaterThanOrEqualTo(TTL.multipliedBy(2).dividedBy(3));
        }
    }

    @Test
    void aPausedHolderRenewsNothingAndItsRunWaitsAtTheCheckpoint() throws Exception {
        Store store = new Store();
        AtomicInteger written = new AtomicInteger();
        try (SingletonJob job = new SingletonJob("sj-pause-" + System.nanoTime(), Duration.ofHours(1),
                                                 new JobsConfig(TTL), store, run -> {
            run.checkpoint();
            written.incrementAndGet();
            return SingletonJob.Result.DONE;
        }, METERS)) {
            job.start();
            await(() -> written.get() == 1);
            SingletonJob.Pause pause = job.pause();
            int renewals = store.renewals.get();
            job.runNow();

            Thread.sleep(TTL.toMillis());
            assertThat(store.renewals.get()).as("renewals while paused").isEqualTo(renewals);
            assertThat(written.get()).as("writes while paused").isEqualTo(1);
            pause.resume();
            await(() -> written.get() == 2);
        }
    }

    @Test
    void withoutAStoreTheJobRunsHereWithFenceZero() throws Exception {
        List<Long> fences = new CopyOnWriteArrayList<>();
        try (SingletonJob job = job(null, fences)) {
            job.start();
            await(() -> !fences.isEmpty());
            assertThat(job.holding()).isTrue();
            assertThat(fences.getFirst()).isZero();
        }
    }

    private static SingletonJob job(Leases store, List<Long> fences) {
        return new SingletonJob("sj-" + System.nanoTime(), Duration.ofHours(1), new JobsConfig(TTL), store, run -> {
            fences.add(run.fence());
            return SingletonJob.Result.DONE;
        }, METERS);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}

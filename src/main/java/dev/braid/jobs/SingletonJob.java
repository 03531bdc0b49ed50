package dev.braid.jobs;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

import dev.braid.observe.BraidMeters;
import dev.braid.observe.ThrottledLog;

/**
 * A periodic job that runs on every replica's scheduler but does its work only on the replica holding its lease.
 *
 * <p>Every replica's scheduler (one virtual thread per job) tries to take the lease; the one that gets it runs the job
 * at once and then every {@code every}, and renews the lease every third of its time to live, also while a run is in
 * progress (runs have threads of their own). The others try again when the holder's lease would expire, so a replica
 * that dies hands the job over within the lease's time to live. A holder that cannot reach the store stops running the
 * job once its lease would have expired there; one that finds its lease gone has lost it.
 *
 * <p>Each grant carries a fencing token ({@link Run#fence()}): the job's write must go through a store that refuses a
 * token older than the last accepted, so a holder that paused past its lease (a long GC, a stopped VM, the test hook
 * {@link #pause()}) cannot overwrite its successor's result ({@link Result#FENCED}).
 *
 * <p>Without a lease store (no Redis) the job runs on every replica, with fence 0: there is nobody to share it with.
 */
public final class SingletonJob implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SingletonJob.class.getName());
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** The jobs of this JVM holding their lease, by job name: what the lease gauge reports. */
    private static final Map<String, Set<SingletonJob>> HOLDING = new ConcurrentHashMap<>();

    /** How a run ended. */
    public enum Result {
        /** The work was done and its result accepted. */
        DONE,
        /** The result was refused: a newer holder's token had been accepted. */
        FENCED,
        /** The work failed (the job logged why); it is tried again at the next period. */
        FAILED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The job's work: it must catch its own failures (and answer {@link Result#FAILED}). */
    @FunctionalInterface
    public interface Task {
        Result run(Run run);
    }

    /** One run of the job on the holder. */
    public final class Run {
        private final long fence;

        private Run(long fence) {
            this.fence = fence;
        }

        /** The fencing token of the grant this run belongs to: pass it with the job's write. */
        public long fence() {
            return fence;
        }

        /**
         * Called by the task just before its write: while the holder is paused ({@link #pause()}) it waits here, as a
         * thread stopped by the world would.
         */
        public void checkpoint() {
            awaitRunning();
        }
    }

    /** Ends a {@link #pause()}. */
    @FunctionalInterface
    public interface Pause {
        void resume();
    }

    private final String name;
    private final Duration every;
    private final Duration ttl;
    private final Leases leases;
    private final Task task;
    private final BraidMeters meters;
    private final String owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ThrottledLog unavailable = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong fenced = new AtomicLong();
    private final AtomicLong takeovers = new AtomicLong();

    private volatile Leases.Grant grant;
    private long renewedAt;
    private long nextRenewal;
    private long nextRun;
    private long nextAttempt;
    private boolean running;
    private boolean paused;
    private boolean closed;
    private Thread scheduler;

    /**
     * @param every  how often the holder runs the job
     * @param leases the lease store, or {@code null} to run on this replica alone
     */
    public SingletonJob(String name, Duration every, JobsConfig config, Leases leases, Task task, BraidMeters meters) {
        this.name = name;
        this.every = every;
        this.ttl = config.leaseTtl();
        this.leases = leases;
        this.task = task;
        this.meters = meters;
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
        meters.registerJob(name, () -> HOLDING.getOrDefault(name, Set.of()).size());
    }

    public String name() {
        return name;
    }

    /** This replica's token for the job: what the lease names as its owner. */
    public String owner() {
        return owner;
    }

    /** Whether this replica holds the job's lease now (always, without a lease store). */
    public boolean holding() {
        return leases == null || grant != null;
    }

    /** The current grant's fencing token; 0 when not holding. */
    public long fence() {
        Leases.Grant current = grant;
        return current == null ? 0 : current.fence();
    }

    /** Runs finished on this replica, results refused by the fence, and leases taken over from another replica. */
    public record Stats(long runs, long fenced, long takeovers) {
    }

    public Stats stats() {
        return new Stats(runs.get(), fenced.get(), takeovers.get());
    }

    /** Starts the scheduler; the job runs at once if this replica gets the lease. */
    public void start() {
        lock.lock();
        try {
            if (scheduler != null || closed) {
                throw new IllegalStateException(name + " is already running, or closed");
            }
            long now = System.nanoTime();
            nextRun = now;
            nextAttempt = now;
            scheduler = Thread.ofVirtual().name("job-" + name).start(this::schedule);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a run now if this replica holds the lease and none is in progress (even while {@link #pause() paused}: the
     * run then waits at its checkpoint); otherwise as soon as it does.
     */
    public void runNow() {
        lock.lock();
        try {
            nextRun = System.nanoTime();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        startRunIfDue();
    }

    /**
     * The test hook for a stop-the-world pause: until {@link Pause#resume()}, this replica neither renews nor acquires
     * the lease, and a run in progress waits at its {@link Run#checkpoint()}, just before its write.
     */
    public Pause pause() {
        lock.lock();
        try {
            paused = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return () -> {
            lock.lock();
            try {
                paused = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        };
    }

    /** Stops the scheduler and gives the lease up, so another replica can take the job over at once. */
    @Override
    public void close() {
        Thread running;
        lock.lock();
        try {
            closed = true;
            paused = false;
            running = scheduler;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (running != null) {
            try {
                running.join(CLOSE_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Leases.Grant held = grant;
        if (held != null && leases != null) {
            leases.release(held);
        }
        lost();
    }

    private void schedule() {
        while (true) {
            lock.lock();
            try {
                while (paused && !closed) {
                    changed.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            keepLease();
            startRunIfDue();
            lock.lock();
            try {
                long wait = wakeAt() - System.nanoTime();
                if (wait > 0 && !closed && !paused) {
                    changed.await(wait, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** When the scheduler has something to do next: a lease to take or renew, a run to start. */
    private long wakeAt() {
        long now = System.nanoTime();
        long idle = now + ttl.toNanos();
        long run = running ? idle : nextRun;
        if (leases == null) {
            return run;
        }
        if (grant == null) {
            return nextAttempt;
        }
        return nextRenewal - run < 0 ? nextRenewal : run;
    }

    /** Takes the lease when it is free, renews it when held: whatever is due now. */
    private void keepLease() {
        if (leases == null) {
            return;
        }
        long now = System.nanoTime();
        try {
            Leases.Grant held = grant;
            if (held == null) {
                if (now - nextAttempt < 0) {
                    return;
                }
                switch (leases.acquire(name, owner, ttl)) {
                    case Leases.Granted granted -> gained(granted.grant(), now);
                    case Leases.Held other -> nextAttempt = now + Math.min(other.remaining().toNanos() + 5_000_000,
                                                                           ttl.toNanos() / 3);
                }
            } else if (now - nextRenewal >= 0) {
                // A failed renewal is tried again soon, not at once: the store is down, and spinning would only burn
                // the CPU the requests need.
                nextRenewal = now + ttl.toNanos() / 10;
                if (leases.renew(held, ttl)) {
                    renewedAt = now;
                    nextRenewal = now + ttl.toNanos() / 3;
                } else {
                    LOG.warning(() -> name + ": lease lost (it expired and another replica may hold it now)");
                    lost();
                }
            }
        } catch (Leases.LeaseUnavailableException e) {
            unavailable.warn(name + ": the lease store cannot answer: " + e.getMessage(), null);
            nextAttempt = now + ttl.toNanos() / 3;
            if (grant != null && now - renewedAt > ttl.toNanos()) {
                // Its lease has expired in the store by now: another replica may hold the job.
                lost();
            }
        }
    }

    private void gained(Leases.Grant granted, long now) {
        grant = granted;
        renewedAt = now;
        nextRenewal = now + ttl.toNanos() / 3;
        HOLDING.computeIfAbsent(name, job -> ConcurrentHashMap.newKeySet()).add(this);
        if (granted.takeover()) {
            takeovers.incrementAndGet();
            meters.jobTakeover(name);
        }
        lock.lock();
        try {
            nextRun = now;
        } finally {
            lock.unlock();
        }
        LOG.info(() -> name + ": lease taken (fence " + granted.fence() + (granted.takeover() ? ", taken over from "
                                                                           + granted.previous() : "") + ")");
    }

    private void lost() {
        grant = null;
        Set<SingletonJob> holders = HOLDING.get(name);
        if (holders != null) {
            holders.remove(this);
        }
    }

    private void startRunIfDue() {
        long fence;
        lock.lock();
        try {
            if (running || !holding() || System.nanoTime() - nextRun < 0) {
                return;
            }
            running = true;
            nextRun = System.nanoTime() + every.toNanos();
            fence = fence();
        } finally {
            lock.unlock();
        }
        Run run = new Run(fence);
        Thread.ofVirtual().name("job-" + name + "-run").start(() -> {
            Result result;
            try {
                result = task.run(run);
            } catch (RuntimeException e) {
                LOG.warning(() -> name + ": run failed: " + e);
                result = Result.FAILED;
            }
            runs.incrementAndGet();
            meters.jobRun(name, result.wireName());
            if (result == Result.FENCED) {
                fenced.incrementAndGet();
                meters.jobFencedRejected(name);
                LOG.warning(() -> name + ": result refused: a newer holder (fence above " + run.fence() + ") has written");
            }
            lock.lock();
            try {
                running = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        });
    }

    private void awaitRunning() {
        lock.lock();
        try {
            while (paused && !closed) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }
}

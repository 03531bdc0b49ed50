package dev.braid.experiments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.braid.observe.BraidMeters;
import dev.braid.observe.ThrottledLog;

/**
 * Takes one exposure per answer from the request path and writes them to the {@link ExposureSink} in batches, on one
 * virtual thread of its own. A request never waits for it and never fails because of it: when the queue is full (the
 * store is slow or down) new exposures are dropped, and failed batches are dropped too; both are counted
 * ({@code braid.exposures}) and logged at most every 30 s. The analysis loses some exposures then, the users lose nothing.
 *
 * <p>Impressions per experiment and variant are counted here as well, when the exposure is recorded: they do not depend
 * on the log keeping up.
 */
public final class ExposureLog implements AutoCloseable {
    /** How long {@link #close()} waits for what is queued to be written. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(ExposureLog.class.getName());
    /** Put in the queue by {@link #close}, once per writer: a writer writes what came before it and stops. */
    private static final Object STOP = new Object();
    /**
     * Writers taking batches from the queue at once: while one waits for its round trip another fills the next batch,
     * so the log keeps up with answers at the rate one writer's round trips would cap.
     */
    public static final int WRITERS = 2;

    private final ExposureSink sink;
    private final int capacity;
    private final int batchSize;
    private final BraidMeters meters;
    // Unbounded, so that STOP always fits; `queued` bounds the exposures in it.
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ThrottledLog writeFailures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    private final ThrottledLog drops = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    private final List<Thread> writers = new ArrayList<>(WRITERS);

    /** Starts the writer thread. */
    public ExposureLog(ExposureSink sink, ExposureConfig config, BraidMeters meters) {
        this.sink = sink;
        this.capacity = config.queue();
        this.batchSize = config.batch();
        this.meters = meters;
        meters.registerExposures();
        for (int i = 0; i < WRITERS; i++) {
            // Platform threads: the operating system gives them their share of the CPU. As virtual threads they wait
            // behind every request's continuation in the scheduler's queue, twice per round trip, and at the rates
            // the benchmark reaches they fell behind and dropped exposures.
            writers.add(Thread.ofPlatform().daemon().name("exposure-log-" + i).start(this::writeUntilStopped));
        }
    }

    /** Queues {@code exposure} for writing; never blocks, never throws. */
    public void record(Exposure exposure) {
        if (exposure == null) {
            writeFailures.warn("a null exposure was recorded, and ignored", null);
            return;
        }
        try {
            if (exposure.experiment() != null) {
                meters.impression(exposure.experiment(), exposure.variant());
            }
            if (closed.get()) {
                drop(1, "exposure log closed");
                return;
            }
            if (queued.incrementAndGet() > capacity) {
                queued.decrementAndGet();
                drop(1, "exposure queue full (" + capacity + "): the store is slow or down");
                return;
            }
            queue.add(exposure);
        } catch (RuntimeException e) {
            // A request must not fail for its exposure's sake, whatever went wrong here.
            writeFailures.warn("exposure not recorded: " + e, e);
        }
    }

    /** Exposures written since start. */
    public long written() {
        return written.get();
    }

    /** Exposures dropped since start: the queue was full, or the log closed before they were written. */
    public long dropped() {
        return dropped.get();
    }

    /** Exposures in batches the sink refused since start. */
    public long failed() {
        return failed.get();
    }

    /** Writes what is queued, waiting at most {@link #CLOSE_WAIT}; what is left then is dropped (and counted). */
    @Override
    public void close() {
        close(CLOSE_WAIT);
    }

    /** Writes what is queued, waiting at most {@code wait}; what is left then is dropped (and counted). */
    public void close(Duration wait) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writers.forEach(writer -> queue.add(STOP));
        long until = System.nanoTime() + wait.toNanos();
        for (Thread writer : writers) {
            try {
                writer.join(Duration.ofNanos(Math.max(1, until - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (writer.isAlive()) {
                // Stuck in the sink: abandon it, and what it holds (its round trip ends at the sink's timeout).
                writer.interrupt();
            }
        }
        List<Object> left = new ArrayList<>();
        queue.drainTo(left);
        long lost = left.stream().filter(Exposure.class::isInstance).count();
        if (lost > 0) {
            drop(lost, "exposure log closed with " + lost + " exposure(s) not written");
        }
    }

    private void writeUntilStopped() {
        List<Object> taken = new ArrayList<>(batchSize);
        List<Exposure> batch = new ArrayList<>(batchSize);
        boolean stop = false;
        while (!stop) {
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(taken, batchSize - 1);
            for (Object entry : taken) {
                if (entry != STOP) {
                    batch.add((Exposure) entry);
                } else if (stop) {
                    queue.add(STOP); // another writer's: it must see one too
                } else {
                    stop = true;
                }
            }
            taken.clear();
            if (!batch.isEmpty()) {
                queued.addAndGet(-batch.size());
                write(List.copyOf(batch));
                batch.clear();
            }
        }
    }

    private void write(List<Exposure> batch) {
        try {
            sink.write(batch);
            written.addAndGet(batch.size());
            meters.exposures("written", batch.size());
        } catch (RuntimeException e) {
            failed.addAndGet(batch.size());
            meters.exposures("failed", batch.size());
            writeFailures.warn(batch.size() + " exposure(s) not written, dropped: " + e, null);
        } catch (Error e) {
            // Logged where it happened: otherwise the writer would die silently and every exposure after it be dropped.
            LOG.log(Level.SEVERE, "exposure writer failed; exposures are no longer written", e);
            throw e;
        }
    }

    private void drop(long count, String why) {
        dropped.addAndGet(count);
        meters.exposures("dropped", count);
        drops.warn("exposures dropped: " + why, null);
    }
}

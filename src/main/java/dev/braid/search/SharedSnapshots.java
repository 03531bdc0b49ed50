package dev.braid.search;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The point in time new feed walks start on. A point in time is a view of the catalog, not of anyone's ranking, so
 * every walk that starts within {@code refresh} of another shares its point in time: a flood of first pages opens none,
 * and the points in time open on the cluster depend on time (one per refresh, each alive while its walks go on), never
 * on how many callers start walks. At most one thread opens the next one; the others keep using the current one, which
 * is alive for at least another {@code keepAlive - refresh}.
 */
public final class SharedSnapshots {
    private record Generation(String id, long openedAt) {
    }

    private final long refreshNanos;
    private final long usableNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock opening = new ReentrantLock();
    private volatile Generation current;

    /**
     * @param refresh   how long new walks start on one point in time
     * @param keepAlive how long a point in time lives after its last use; at least twice {@code refresh}
     */
    public SharedSnapshots(Duration refresh, Duration keepAlive, LongSupplier nanoTime) {
        this.refreshNanos = refresh.toNanos();
        // Opened with keepAlive; every walk's page extends it. Keep a margin for the walk's first page to reach it.
        this.usableNanos = keepAlive.toNanos() - refreshNanos;
        this.nanoTime = nanoTime;
    }

    /**
     * The point in time a new walk starts on: the current one while it is fresh, else a new one from {@code open}.
     * When opening fails, a current one that is still alive is used; otherwise the failure is thrown.
     */
    public String forNewWalk(Supplier<String> open) {
        Generation generation = current;
        if (fresh(generation)) {
            return generation.id();
        }
        if (!opening.tryLock()) {
            if (alive(generation)) {
                return generation.id();
            }
            opening.lock();
        }
        try {
            generation = current;
            if (fresh(generation)) {
                return generation.id();
            }
            try {
                String id = open.get();
                current = new Generation(id, nanoTime.getAsLong());
                return id;
            } catch (RuntimeException e) {
                if (alive(generation)) {
                    return generation.id();
                }
                throw e;
            }
        } finally {
            opening.unlock();
        }
    }

    /** The cluster says {@code id} is gone: the next walk opens a new one. */
    public void gone(String id) {
        Generation generation = current;
        if (generation != null && generation.id().equals(id)) {
            current = null;
        }
    }

    private boolean fresh(Generation generation) {
        return generation != null && nanoTime.getAsLong() - generation.openedAt() < refreshNanos;
    }

    private boolean alive(Generation generation) {
        return generation != null && nanoTime.getAsLong() - generation.openedAt() < usableNanos;
    }
}

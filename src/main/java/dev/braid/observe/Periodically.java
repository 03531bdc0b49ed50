package dev.braid.observe;

import java.time.Duration;

/**
 * A task run now and then every period on one virtual thread, until closed: how in-memory views of slow sources (the
 * popular items, the catalog coverage) are kept fresh without a request ever waiting for them. Started at most once;
 * closing one that never started is fine.
 */
public final class Periodically implements AutoCloseable {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    /** Waits between runs; tests pass one they control instead of sleeping. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final String name;
    private final Runnable task;
    private final Pause pause;
    private Thread thread;
    private volatile boolean closed;

    /** @param task what to run; it must catch its own failures */
    public Periodically(String name, Runnable task, Pause pause) {
        this.name = name;
        this.task = task;
        this.pause = pause;
    }

    /** Runs the task now, then every {@code every}. */
    public synchronized void start(Duration every) {
        if (thread != null || closed) {
            throw new IllegalStateException(name + " is already running, or closed");
        }
        thread = Thread.ofVirtual().name(name).start(() -> {
            while (!closed) {
                task.run();
                try {
                    pause.pause(every);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Stops after the run in progress, waiting for it at most a few seconds. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
        }
        if (running == null) {
            return;
        }
        running.interrupt();
        try {
            running.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.braid.observe;

import java.time.Duration;

/**
 * A task run now and then every period on one virtual thread, until closed: how in-memory views of slow sources (the
 * popular items, the catalog coverage) are kept fresh without a request ever waiting for them.
 */
public final class Periodically implements AutoCloseable {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    /** Waits between runs; tests pass one they control instead of sleeping. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final Thread thread;
    private volatile boolean closed;

    private Periodically(String name, Duration every, Runnable task, Pause pause) {
        this.thread = Thread.ofVirtual().name(name).unstarted(() -> {
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

    /** Runs {@code task} now, then every {@code every}; a task must catch its own failures. */
    public static Periodically start(String name, Duration every, Runnable task, Pause pause) {
        Periodically periodically = new Periodically(name, every, task, pause);
        periodically.thread.start();
        return periodically;
    }

    /** Stops after the run in progress, waiting for it at most a few seconds. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

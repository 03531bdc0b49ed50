package dev.braid.observe;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps logging alive during a graceful stop. On SIGTERM the JDK's log manager closes every handler from a shutdown
 * hook of its own, which runs at the same time as the hook that drains requests; the drain's last lines were lost
 * whenever the log manager came first. (Helidon's own guard joins its shutdown thread, which may not have started yet.)
 * This handler sits first on the root logger and publishes nothing; closing it waits until {@link #stopped()} or
 * {@code maxWait}, so the handlers after it stay open until the stop has written its last line.
 */
public final class KeepLoggingUntilStopped extends Handler {
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Duration maxWait;

    private KeepLoggingUntilStopped(Duration maxWait) {
        this.maxWait = maxWait;
    }

    /** Puts a new one first among the root logger's handlers. */
    public static KeepLoggingUntilStopped install(Duration maxWait) {
        Logger root = Logger.getLogger("");
        Handler[] others = root.getHandlers();
        for (Handler handler : others) {
            root.removeHandler(handler);
        }
        KeepLoggingUntilStopped keep = new KeepLoggingUntilStopped(maxWait);
        root.addHandler(keep);
        for (Handler handler : others) {
            root.addHandler(handler);
        }
        return keep;
    }

    /** The stop has logged its last line: the log manager may close the handlers now. */
    public void stopped() {
        stopped.countDown();
    }

    @Override
    public void publish(LogRecord record) {
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        try {
            stopped.await(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

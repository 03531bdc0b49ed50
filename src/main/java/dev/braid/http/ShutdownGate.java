package dev.braid.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.braid.observe.AnswerOutcome;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Lets in-flight requests finish at shutdown. Helidon's own stop interrupts running requests at once, so Braid drains
 * first: once {@link #close() closed}, readiness fails (load balancers stop sending), new requests get a 503 with
 * {@code Connection: close}, and {@link #awaitIdle(Duration)} waits for the requests already running.
 */
public final class ShutdownGate implements Filter {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private volatile boolean closed;

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        // Count first, then look: a request counted before close() is waited for; one counted after it is refused.
        inFlight.incrementAndGet();
        try {
            if (closed) {
                RequestContextFilter.notes(req).outcome(AnswerOutcome.SHED);
                res.header(HeaderNames.CONNECTION, "close");
                res.header(HeaderNames.RETRY_AFTER, "1");
                ProblemResponses.send(req, res, Problem.of(503, "shutting-down", "Service shutting down",
                                                      "this instance is shutting down; retry on another",
                                                      RequestContextFilter.requestId(req)),
                                      RequestContextFilter.requestId(req));
                return;
            }
            chain.proceed();
        } finally {
            if (inFlight.decrementAndGet() == 0 && closed) {
                signalIdle();
            }
        }
    }

    /** Refuse new requests from now on. */
    public void close() {
        closed = true;
        if (inFlight.get() == 0) {
            signalIdle();
        }
    }

    public boolean isOpen() {
        return !closed;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Waits until no request is running, at most {@code grace}.
     *
     * @return whether every in-flight request finished in time
     */
    public boolean awaitIdle(Duration grace) throws InterruptedException {
        long left = grace.toNanos();
        lock.lock();
        try {
            while (inFlight.get() > 0) {
                if (left <= 0) {
                    return false;
                }
                left = idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void signalIdle() {
        lock.lock();
        try {
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

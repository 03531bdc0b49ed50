package dev.braid.http.transport;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.braid.config.ServerConfig;

/**
 * Closes connections whose phase outlasted its deadline: idle too long, a header section or a body arriving too slowly,
 * an answer not read by its client, a connection over its client's share that sends nothing.
 * One sweep over the open connections every tenth of the shortest deadline costs the request path nothing but a few
 * volatile writes per request; a deadline is therefore kept to within a tenth of itself.
 */
final class Watchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Watchdog.class.getName());
    private static final Duration MIN_SWEEP = Duration.ofMillis(20);
    private static final Duration MAX_SWEEP = Duration.ofSeconds(1);

    private final Set<ConnectionWatch> watches = ConcurrentHashMap.newKeySet();
    private final long idleNanos;
    private final long headNanos;
    private final long bodyNanos;
    private final long responseNanos;
    /** A connection over its client's share waits no longer than a header section may take to arrive. */
    private final long refusedNanos;
    private final Duration sweepEvery;
    private final LongSupplier nanoTime;
    private final BiConsumer<ConnectionWatch, ConnectionWatch.Phase> expired;
    private volatile Thread sweeper;

    /** @param expired told of each connection closed, with the phase it overstayed */
    Watchdog(ServerConfig.Connections config, LongSupplier nanoTime,
             BiConsumer<ConnectionWatch, ConnectionWatch.Phase> expired) {
        this.idleNanos = config.idleTimeout().toNanos();
        this.headNanos = config.headerTimeout().toNanos();
        this.bodyNanos = config.bodyTimeout().toNanos();
        this.responseNanos = config.responseTimeout().toNanos();
        this.refusedNanos = Math.min(idleNanos, headNanos);
        Duration shortest = Duration.ofNanos(Math.min(Math.min(idleNanos, headNanos), Math.min(bodyNanos, responseNanos)));
        Duration tenth = shortest.dividedBy(10);
        this.sweepEvery = tenth.compareTo(MIN_SWEEP) < 0 ? MIN_SWEEP : tenth.compareTo(MAX_SWEEP) > 0 ? MAX_SWEEP : tenth;
        this.nanoTime = nanoTime;
        this.expired = expired;
    }

    void watch(ConnectionWatch watch) {
        watches.add(watch);
    }

    void forget(ConnectionWatch watch) {
        watches.remove(watch);
    }

    int open() {
        return watches.size();
    }

    synchronized void start() {
        if (sweeper == null) {
            sweeper = Thread.ofVirtual().name("braid-connection-watchdog").start(this::run);
        }
    }

    /** Closes what has overstayed at {@code now}; the number closed. */
    int sweep(long now) {
        int closed = 0;
        for (ConnectionWatch watch : watches) {
            long writing = watch.writingSince();
            if (writing != 0 && now - writing > responseNanos) {
                if (watch.expireWrite()) {
                    closed++;
                    expired.accept(watch, ConnectionWatch.Phase.SERVING);
                }
                continue;
            }
            ConnectionWatch.Phase phase = watch.phase();
            long limit = switch (phase) {
                case IDLE -> watch.refused() ? refusedNanos : idleNanos;
                case HEAD -> headNanos;
                case BODY -> bodyNanos;
                case SERVING -> responseNanos;
                case CLOSING -> Long.MAX_VALUE;
            };
            if (limit != Long.MAX_VALUE && now - watch.since() > limit && watch.expire(phase)) {
                closed++;
                expired.accept(watch, phase);
            }
        }
        return closed;
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(sweepEvery);
                sweep(nanoTime.getAsLong());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "connection watchdog sweep failed; sweeping on", e);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (sweeper != null) {
            sweeper.interrupt();
            sweeper = null;
        }
    }
}

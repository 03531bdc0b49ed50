package dev.braid.http.transport;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;

/**
 * Where one connection stands, so that each phase can have its deadline: idle (between requests, and while the
 * request line arrives), reading the header section, serving (the handler's own budgets apply), reading a body. The
 * connection's own thread moves it along; the {@link Watchdog} closes it when a phase outlasts its deadline.
 */
final class ConnectionWatch {
    enum Phase {
        IDLE, HEAD, SERVING, BODY, CLOSING
    }

    private static final byte[] TIMEOUT_BODY = ("{\"type\":\"https://braid.dev/problems/request-timeout\","
                                                + "\"title\":\"Request Timeout\",\"status\":408,\"detail\":\"the request "
                                                + "did not arrive in time; the connection is closed\"}")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\n"
                                                    + "Content-Type: application/problem+json\r\n"
                                                    + "Cache-Control: no-store\r\n"
                                                    + "Connection: close\r\n"
                                                    + "Content-Length: " + TIMEOUT_BODY.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final ConnectionContext context;
    private final ServerConnection connection;
    private final InetAddress client;
    private final boolean refused;
    private final LongSupplier nanoTime;
    private final AtomicInteger phase = new AtomicInteger(Phase.IDLE.ordinal());
    private volatile long since;
    /** When the write in progress started; 0 while none is. */
    private volatile long writingSince;
    private volatile HttpPrologue prologue;

    /**
     * @param refused the client holds more connections than it may: its first request is answered 429 and the
     *                connection closed
     */
    ConnectionWatch(ConnectionContext context, ServerConnection connection, InetAddress client, boolean refused,
                    LongSupplier nanoTime) {
        this.context = context;
        this.connection = connection;
        this.client = client;
        this.refused = refused;
        this.nanoTime = nanoTime;
        this.since = nanoTime.getAsLong();
    }

    InetAddress client() {
        return client;
    }

    boolean refused() {
        return refused;
    }

    Phase phase() {
        return Phase.values()[phase.get()];
    }

    long since() {
        return since;
    }

    HttpPrologue prologue() {
        return prologue;
    }

    /** A request line arrived. {@code false}: the connection is being closed and must not serve it. */
    boolean headStarted(HttpPrologue prologue) {
        this.prologue = prologue;
        return enter(Phase.HEAD);
    }

    /** The header section is complete; the request is being served. */
    boolean serving() {
        return enter(Phase.SERVING);
    }

    /** The answer went out: the connection is idle until the next request line. */
    void answered() {
        enter(Phase.IDLE);
    }

    /** A write to the socket starts: it blocks while the client does not read. */
    void writing() {
        writingSince = Math.max(1, nanoTime.getAsLong());
    }

    void written() {
        writingSince = 0;
    }

    /** When the write in progress started, or 0. */
    long writingSince() {
        return writingSince;
    }

    /**
     * Closes the connection because a write has blocked past its deadline, whatever the phase: the client is not reading
     * its answers. {@code false} when it was being closed already.
     */
    boolean expireWrite() {
        while (true) {
            int current = phase.get();
            if (current == Phase.CLOSING.ordinal()) {
                return false;
            }
            if (phase.compareAndSet(current, Phase.CLOSING.ordinal())) {
                connection.close(true);
                return true;
            }
        }
    }

    boolean bodyStarted() {
        return move(Phase.SERVING, Phase.BODY);
    }

    void bodyDone() {
        move(Phase.BODY, Phase.SERVING);
    }

    /**
     * Closes the connection because {@code expected} outlasted its deadline; a no-op when it has moved on meanwhile.
     * A request that was arriving or being read is told why (408) before the socket closes; an answer that was being
     * written is cut where it stands (a status line in the middle of it would only corrupt it).
     */
    boolean expire(Phase expected) {
        if (!phase.compareAndSet(expected.ordinal(), Phase.CLOSING.ordinal())) {
            return false;
        }
        if (expected == Phase.HEAD || expected == Phase.BODY) {
            try {
                BufferData answer = BufferData.growing(TIMEOUT_RESPONSE.length + TIMEOUT_BODY.length);
                answer.write(TIMEOUT_RESPONSE);
                answer.write(TIMEOUT_BODY);
                context.dataWriter().writeNow(answer);
            } catch (RuntimeException e) {
                // The peer may be gone already: closing is all that is left to do.
            }
        }
        // Interrupting the connection's virtual thread closes its socket and ends the blocked read.
        connection.close(true);
        return true;
    }

    private boolean enter(Phase next) {
        long now = nanoTime.getAsLong();
        while (true) {
            int current = phase.get();
            if (current == Phase.CLOSING.ordinal()) {
                return false;
            }
            // The time first: a watchdog that sees the new phase must never pair it with the old phase's start.
            since = now;
            if (phase.compareAndSet(current, next.ordinal())) {
                return true;
            }
        }
    }

    private boolean move(Phase from, Phase to) {
        long now = nanoTime.getAsLong();
        if (phase.get() != from.ordinal()) {
            return false;
        }
        since = now;
        return phase.compareAndSet(from.ordinal(), to.ordinal());
    }
}

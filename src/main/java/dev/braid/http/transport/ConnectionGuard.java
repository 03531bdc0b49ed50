package dev.braid.http.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.braid.config.AddressRange;
import dev.braid.config.ServerConfig;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.DirectTransportRequest;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * A port's only connection selector: Helidon's HTTP/1.1 connection, watched. It bounds the connections one client
 * address holds (a client over its share has its first request answered 429 and the connection closed, or, far over it,
 * is closed at once), gives every phase of a connection a deadline ({@link Watchdog}): idle, header section, body,
 * answer, and refuses the one ambiguous framing Helidon lets through (a repeated {@code Content-Length}, even with equal
 * values). Each port has its own guard.
 *
 * <p>It must be the port's only selector: with one candidate Helidon hands it every connection at once, so a silent
 * socket is watched from its first moment and an HTTP/1.0 request line reaches HTTP/1.1's parser (which answers 505)
 * instead of being dropped unidentified.
 */
public final class ConnectionGuard implements ServerConnectionSelector, AutoCloseable {
    /** The watch of the connection this thread serves (Helidon runs one virtual thread per connection). */
    private static final ThreadLocal<ConnectionWatch> CURRENT = new ThreadLocal<>();

    private final Http1ConnectionSelector http1;
    private final int perClient;
    private final List<AddressRange> exempt;
    private final LongSupplier nanoTime;
    private final Watchdog watchdog;
    private final Consumer<String> closed;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    /**
     * @param closed told of every connection the guard closed, by reason: {@code idle}, {@code header_timeout},
     *               {@code body_timeout}, {@code response_timeout}, {@code too_many_connections}
     */
    public ConnectionGuard(ServerConfig.Connections config, List<AddressRange> exempt, Consumer<String> closed) {
        this(config, exempt, System::nanoTime, closed);
    }

    /** @param exempt peers not counted against any share (the trusted proxies every client comes through) */
    ConnectionGuard(ServerConfig.Connections config, List<AddressRange> exempt, LongSupplier nanoTime,
                    Consumer<String> closed) {
        this.perClient = config.perClient();
        this.exempt = List.copyOf(exempt);
        this.nanoTime = nanoTime;
        this.closed = closed;
        this.watchdog = new Watchdog(config, nanoTime, (watch, phase) -> closed.accept(switch (phase) {
            case IDLE -> watch.refused() ? "too_many_connections" : "idle";
            case HEAD -> "header_timeout";
            case BODY -> "body_timeout";
            case SERVING -> "response_timeout";
            case CLOSING -> "other";
        }));
        this.http1 = Http1ConnectionSelector.builder()
                .config(Http1Config.builder()
                                .addReceiveListener(new Received())
                                .addSendListener(new Sent())
                                .build())
                .build();
        watchdog.start();
    }

    /**
     * Runs {@code read} (a request body's read) under the body deadline of the connection this thread serves: past it
     * the client is told 408 and the connection closes, which ends the blocked read with an exception.
     */
    public static <T> T withBodyDeadline(Supplier<T> read) {
        ConnectionWatch watch = CURRENT.get();
        if (watch == null) {
            return read.get();
        }
        watch.bodyStarted();
        try {
            return read.get();
        } finally {
            watch.bodyDone();
        }
    }

    /**
     * The part of the request target (a query parameter's name, or {@code path}) that is not valid percent-encoded
     * UTF-8, as a 400's {@code message} names it or its raw path shows; {@code null} when neither does.
     */
    public static String malformedTargetPart(String message, String rawPath) {
        if (message != null && message.startsWith(MalformedTarget.MARKER)) {
            return message.substring(MalformedTarget.MARKER.length());
        }
        // Helidon refuses a malformed path while it reads the request line, before any listener: recognized by the path.
        return rawPath != null && !MalformedTarget.validPath(rawPath) ? "path" : null;
    }

    /** Connections open on the port now. */
    public int openConnections() {
        return watchdog.open();
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData data) {
        return http1.supports(data);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return new WatchedConnection(ctx);
    }

    @Override
    public void close() {
        watchdog.close();
    }

    private InetAddress clientOf(ConnectionContext ctx) {
        SocketAddress address = ctx.remotePeer().address();
        return address instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    private boolean exempt(InetAddress client) {
        return client == null || exempt.stream().anyMatch(range -> range.contains(client));
    }

    /** Helidon's connection, registered with the watchdog and counted against its client while it runs. */
    private final class WatchedConnection implements ServerConnection, InterruptableTask<Void> {
        private final ConnectionContext ctx;
        private final ServerConnection delegate;
        private volatile ConnectionWatch watch;

        WatchedConnection(ConnectionContext ctx) {
            this.ctx = ctx;
            this.delegate = http1.connection(new WatchedContext(ctx, () -> watch));
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            InetAddress client = clientOf(ctx);
            boolean counted = !exempt(client);
            boolean refused = false;
            if (counted) {
                int held = perAddress.computeIfAbsent(client, ignored -> new AtomicInteger()).incrementAndGet();
                refused = held > perClient;
                if (held > 2 * perClient) {
                    // Far over its share: not even a 429 is owed. Closed at once, so that one address's flood of silent
                    // sockets never holds the port's slots that other clients need.
                    release(client);
                    closed.accept("too_many_connections");
                    return;
                }
            }
            ConnectionWatch watch = new ConnectionWatch(ctx, delegate, client, refused, nanoTime);
            this.watch = watch;
            watchdog.watch(watch);
            CURRENT.set(watch);
            try {
                delegate.handle(limit);
            } finally {
                CURRENT.remove();
                watchdog.forget(watch);
                if (counted) {
                    release(client);
                }
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }

        @Override
        public boolean canInterrupt() {
            return delegate instanceof InterruptableTask<?> task && task.canInterrupt();
        }
    }

    private void release(InetAddress client) {
        perAddress.computeIfPresent(client, (address, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** The request side: a request line starts the header deadline, the end of the header section ends it. */
    private final class Received implements Http1ConnectionListener {
        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            ConnectionWatch watch = CURRENT.get();
            if (watch != null && !watch.headStarted(prologue)) {
                throw new CloseConnectionException("closing: the connection outlasted a deadline");
            }
            String part = MalformedTarget.badParameter(prologue.query().rawValue());
            if (part == null && !MalformedTarget.validPath(prologue.uriPath().rawPathNoParams())) {
                part = "path";
            }
            if (part != null) {
                throw RequestException.builder()
                        .type(DirectHandler.EventType.BAD_REQUEST)
                        .status(Status.BAD_REQUEST_400)
                        .message(MalformedTarget.MARKER + part)
                        .safeMessage(true)
                        .request(DirectTransportRequest.create(prologue, WritableHeaders.create()))
                        .build();
            }
        }

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            ConnectionWatch watch = CURRENT.get();
            if (watch == null) {
                return;
            }
            if (headers.values(HeaderNames.CONTENT_LENGTH).size() > 1) {
                // RFC 9112 lets a recipient take identical repeated lengths as one; a proxy in front may not have.
                throw RequestException.builder()
                        .type(DirectHandler.EventType.BAD_REQUEST)
                        .status(Status.BAD_REQUEST_400)
                        .message("Content-Length repeated")
                        .setKeepAlive(false)
                        .request(DirectTransportRequest.create(watch.prologue(), headers))
                        .build();
            }
            if (watch.refused()) {
                closed.accept("too_many_connections");
                throw RequestException.builder()
                        .type(DirectHandler.EventType.OTHER)
                        .status(Status.TOO_MANY_REQUESTS_429)
                        .message("too many connections from this client address")
                        .setKeepAlive(false)
                        .header(HeaderValues.create(HeaderNames.RETRY_AFTER, "1"))
                        .request(DirectTransportRequest.create(watch.prologue(), headers))
                        .build();
            }
            if (!watch.serving()) {
                throw new CloseConnectionException("closing: the header section outlasted its deadline");
            }
        }
    }

    /** The response side: once an answer's head is written the connection is idle again. */
    private final class Sent implements Http1ConnectionListener {
        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            ConnectionWatch watch = CURRENT.get();
            if (watch != null) {
                watch.answered();
            }
        }
    }
}

package dev.braid.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on a loopback port in front of a real server (Redis, OpenSearch) that breaks the connection on purpose:
 * it delays, stalls, resets or refuses, for connections already open as well as new ones. The port stays the same
 * across mode changes, so a client configured with it sees the server go away and come back.
 */
public final class FaultProxy implements FaultInjectable, AutoCloseable {
    private static final int BUFFER = 16 * 1024;

    private final String name;
    private final InetSocketAddress upstream;
    private final int port;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong exchanges = new AtomicLong();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition modeChanged = lock.newCondition();

    private volatile FaultMode mode = FaultMode.HEALTHY;
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean closed;
    private ServerSocket listener;
    private Thread acceptor;

    private FaultProxy(String name, InetSocketAddress upstream, int port) {
        this.name = name;
        this.upstream = upstream;
        this.port = port;
    }

    /** Starts a proxy named {@code name} on {@code listenPort} (0: any free port) forwarding to {@code upstream}. */
    public static FaultProxy start(String name, InetSocketAddress upstream, int listenPort) {
        int port = listenPort == 0 ? FreePort.find() : listenPort;
        FaultProxy proxy = new FaultProxy(name, upstream, port);
        proxy.listen();
        return proxy;
    }

    @Override
    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    @Override
    public FaultMode mode() {
        return mode;
    }

    @Override
    public long requests() {
        return accepted.get();
    }

    /**
     * Request/response exchanges over all connections since the last reset: how often a client sent data after the
     * server had answered on that connection (or for the first time). A client that writes a whole pipeline before it
     * reads makes one exchange; one that waits for a reply before sending more makes two. A pipeline larger than the
     * client's output buffer may arrive in parts that the server answers in between, so count small ones.
     */
    public long exchanges() {
        return exchanges.get();
    }

    @Override
    public void mode(FaultMode newMode, Duration latency, Duration retryAfter) {
        if (!newMode.tcpCapable()) {
            throw new IllegalArgumentException(name + " is a TCP proxy: mode " + newMode.wireName()
                                               + " exists only for HTTP downstreams");
        }
        lock.lock();
        try {
            FaultMode previous = mode;
            this.latency = latency == null ? Duration.ZERO : latency;
            this.mode = newMode;
            if (newMode == FaultMode.ERROR || newMode == FaultMode.DOWN) {
                links.forEach(Link::reset);
            }
            if (newMode == FaultMode.DOWN) {
                stopListening();
            } else if (previous == FaultMode.DOWN) {
                listen();
            }
            modeChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void reset() {
        mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ZERO);
        accepted.set(0);
        exchanges.set(0);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            stopListening();
            links.forEach(Link::reset);
            modeChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void listen() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            listener = socket;
            acceptor = Thread.ofVirtual().name("proxy-" + name + "-accept").start(() -> acceptLoop(socket));
        } catch (IOException e) {
            throw new UncheckedIOException("proxy " + name + " cannot listen on port " + port, e);
        }
    }

    private void stopListening() {
        if (listener != null) {
            try {
                listener.close();
            } catch (IOException ignored) {
                // already closed
            }
            listener = null;
        }
        if (acceptor != null) {
            try {
                acceptor.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            acceptor = null;
        }
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            Thread.ofVirtual().name("proxy-" + name + "-connect").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        if (mode == FaultMode.ERROR || closed) {
            resetQuietly(client);
            return;
        }
        Socket server = new Socket();
        try {
            server.connect(upstream, 2_000);
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
        } catch (IOException e) {
            resetQuietly(client);
            closeQuietly(server);
            return;
        }
        Link link = new Link(client, server, new AtomicBoolean(true));
        links.add(link);
        Thread.ofVirtual().name("proxy-" + name + "-up").start(() -> pump(link, client, server, false));
        Thread.ofVirtual().name("proxy-" + name + "-down").start(() -> pump(link, server, client, true));
    }

    private void pump(Link link, Socket from, Socket to, boolean fromUpstream) {
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                // Before forwarding: the client cannot send its next request before it got this answer.
                if (fromUpstream) {
                    link.answered().set(true);
                } else if (link.answered().getAndSet(false)) {
                    exchanges.incrementAndGet();
                }
                awaitForwarding();
                if (fromUpstream && mode == FaultMode.SLOW && latency.isPositive()) {
                    Thread.sleep(latency);
                }
                out.write(buffer, 0, read);
                out.flush();
            }
            // Half-close: the peer sees end of stream, as it would without the proxy.
            to.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            link.reset();
        } finally {
            if (from.isClosed() || to.isClosed()) {
                links.remove(link);
            }
        }
    }

    /** Holds the data while the proxy hangs; a mode change or close lets it through (or the link is reset). */
    private void awaitForwarding() throws InterruptedException, SocketException {
        if (mode != FaultMode.HANG) {
            return;
        }
        lock.lock();
        try {
            while (mode == FaultMode.HANG && !closed) {
                modeChanged.await();
            }
        } finally {
            lock.unlock();
        }
        if (closed) {
            throw new SocketException("proxy closed");
        }
    }

    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    /** One proxied connection: the client's socket and ours to the upstream; whether the upstream spoke last. */
    private record Link(Socket client, Socket server, AtomicBoolean answered) {
        void reset() {
            resetQuietly(client);
            resetQuietly(server);
        }
    }
}

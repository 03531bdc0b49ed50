package dev.braid.http.transport;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;

/**
 * Helidon's connection context with its writer watched: while a write blocks (a client that does not read its answers
 * lets the socket's buffers fill) the connection's watch knows since when, so the response deadline can end it. Every
 * other call goes straight through.
 */
final class WatchedContext implements ConnectionContext {
    private final ConnectionContext delegate;
    private final DataWriter writer;

    WatchedContext(ConnectionContext delegate, Supplier<ConnectionWatch> watch) {
        this.delegate = delegate;
        this.writer = new WatchedWriter(delegate.dataWriter(), watch);
    }

    @Override
    public ListenerContext listenerContext() {
        return delegate.listenerContext();
    }

    @Override
    public ExecutorService executor() {
        return delegate.executor();
    }

    @Override
    public DataWriter dataWriter() {
        return writer;
    }

    @Override
    public DataReader dataReader() {
        return delegate.dataReader();
    }

    @Override
    public Router router() {
        return delegate.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
        return delegate.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
        return delegate.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
        return delegate.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
        return delegate.localPeer();
    }

    @Override
    public boolean isSecure() {
        return delegate.isSecure();
    }

    @Override
    public String socketId() {
        return delegate.socketId();
    }

    @Override
    public String childSocketId() {
        return delegate.childSocketId();
    }

    /** Marks the time each write starts and clears it when the write returns. */
    private record WatchedWriter(DataWriter delegate, Supplier<ConnectionWatch> watch) implements DataWriter {
        @Override
        public void write(BufferData... buffers) {
            watched(() -> delegate.write(buffers));
        }

        @Override
        public void write(BufferData buffer) {
            watched(() -> delegate.write(buffer));
        }

        @Override
        public void writeNow(BufferData... buffers) {
            watched(() -> delegate.writeNow(buffers));
        }

        @Override
        public void writeNow(BufferData buffer) {
            watched(() -> delegate.writeNow(buffer));
        }

        @Override
        public void flush() {
            watched(delegate::flush);
        }

        @Override
        public void close() {
            delegate.close();
        }

        private void watched(Runnable write) {
            ConnectionWatch current = watch.get();
            if (current == null) {
                write.run();
                return;
            }
            current.writing();
            try {
                write.run();
            } finally {
                current.written();
            }
        }
    }
}

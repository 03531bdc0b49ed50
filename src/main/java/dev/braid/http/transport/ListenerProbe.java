package dev.braid.http.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Whether a listening port still takes connections. Helidon's listener ends for good when accepting fails with an
 * I/O error (out of file descriptors): the process lives on, its other port answers, and nothing else would notice.
 * Only a refused connection means the listener is gone; a connection that is slow to be accepted (a full backlog, a busy
 * replica) is load, and must never get a pod restarted.
 */
public final class ListenerProbe {
    private static final int CONNECT_TIMEOUT_MILLIS = 250;

    private final String host;
    private volatile int port;

    /** @param host the interface the port is bound to; a wildcard is probed on loopback */
    public ListenerProbe(String host) {
        this.host = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
    }

    /** The port, once it listens (0 until then: nothing to probe yet). */
    public void listening(int port) {
        this.port = port;
    }

    /** {@code false} only when the port refuses connections. */
    public boolean alive() {
        int listening = port;
        if (listening <= 0) {
            return true;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, listening), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}

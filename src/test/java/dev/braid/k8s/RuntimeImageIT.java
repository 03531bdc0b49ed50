package dev.braid.k8s;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.braid.testing.FreePort;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image's two steps, run here as k8s/Dockerfile runs them: bin/build-runtime jlinks a runtime that starts Braid
 * and still has jcmd and jfr; bin/aot-cache's training run writes a cache that this runtime, started with the pod's
 * flags (G1, a continuous flight recording), loads: with -XX:AOTMode=on the JVM refuses to start on a cache it cannot
 * use instead of ignoring it.
 */
class RuntimeImageIT {
    private static final Path JAR = Path.of("target", "braid.jar");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    // jlink, a training run and a start: several minutes on a busy two-core machine, past the default 3.
    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void theJlinkedRuntimeServesBraidFromItsAotCache(@TempDir Path dir) throws Exception {
        assertThat(JAR).as("mvn package builds target/braid.jar before the integration tests").exists();
        Path runtime = dir.resolve("runtime");
        run(List.of("bin/build-runtime", runtime.toString()), Map.of(), dir.resolve("build-runtime.log"), 5);
        Path java = runtime.resolve("bin/java");
        assertThat(runtime.resolve("bin/jcmd")).isExecutable();
        assertThat(runtime.resolve("bin/jfr")).isExecutable();

        Path cache = dir.resolve("braid.aot");
        run(List.of("bin/aot-cache", java.toString(), JAR.toString(), cache.toString()),
            Map.of("SERVER_PORT", Integer.toString(FreePort.find()), "SERVER_ADMIN_dash_PORT", Integer.toString(FreePort.find())),
            dir.resolve("aot-cache.log"), 8);
        assertThat(Files.size(cache)).isGreaterThan(1 << 20);

        int api = FreePort.find();
        int admin = FreePort.find();
        Path log = dir.resolve("braid.log");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:AOTCache=" + cache, "-XX:AOTMode=on",
                "-XX:+UseG1GC", "-XX:StartFlightRecording=settings=default,filename=" + dir.resolve("run.jfr"),
                "--enable-preview", "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("SERVER_PORT", Integer.toString(api), "SERVER_ADMIN_dash_PORT", Integer.toString(admin),
                "SOURCES_TRENDING_URL", "http://127.0.0.1:1/v1/trending", "OPENSEARCH_URL", "http://127.0.0.1:2",
                "REDIS_URL", "redis://127.0.0.1:3"));
        Process braid = builder.start();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (status(admin, "/observe/health/ready") != 200) {
                assertThat(braid.isAlive()).as("started on the cache; its output:\n%s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("ready within 2 minutes").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(status(api, "/v1/recommendations?n=5")).isEqualTo(200);
            // Found by reflection, which jdeps cannot see: the dashboard's CPU panel needs jdk.management in the runtime.
            assertThat(CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("process_cpu_usage");
        } finally {
            braid.destroy();
            braid.waitFor(30, TimeUnit.SECONDS);
            braid.destroyForcibly();
        }
        // Started at all means the cache was mapped (AOTMode=on); a module set other than the training run's would
        // still map it but drop its linked classes, with this warning. (JDK 25 may warn about single stub adapters of
        // its AOT code cache: those cost one adapter each, not the cache.)
        assertThat(Files.readString(log)).doesNotContain("Mismatched values");
    }

    private static int status(int port, String path) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void run(List<String> command, Map<String, String> environment, Path log, int minutes) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " still running after " + minutes + " min:\n" + Files.readString(log));
        }
        assertThat(process.exitValue()).as("%s exit status; output:\n%s", command, Files.readString(log)).isZero();
    }
}

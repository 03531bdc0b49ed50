package dev.braid;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.braid.dev.DemoCatalog;
import dev.braid.sim.TrendingSimulator;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FreePort;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar, started as the README says: configuration errors, readiness, and a graceful SIGTERM. */
class BraidProcessIT {
    private static final Path JAR = Path.of("target", "braid.jar");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static TrendingSimulator trending;

    @BeforeAll
    static void start() {
        assertThat(JAR).as("mvn package builds target/braid.jar before the integration tests").exists();
        trending = new TrendingSimulator(DemoCatalog.itemIds(500), Duration.ZERO).start(0);
    }

    @AfterAll
    static void stop() {
        trending.close();
    }

    @Test
    void aBadSettingStopsStartUpBeforeAnyPortOpensAndNamesTheKey() throws Exception {
        int port = FreePort.find();
        Path log = Files.createTempFile("braid-process", ".log");
        Process process = launch(Map.of("SERVER_PORT", Integer.toString(port),
                                        "SOURCES_TRENDING_TIMEOUT", "-5ms",
                                        "SURFACES_HOME_SOURCES_PERSONALIZE_WEIGHT", "1"), log);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(log);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr).contains("sources.trending.timeout: must be a positive duration (was -5ms)")
                .contains("surfaces.home.sources.personalize: unknown source 'personalize'");
        assertThat(FreePort.isFree(port)).isTrue();
    }

    @Test
    void aRedisThatRefusesThePasswordStopsStartUpNamingTheSettingNotTheSecret() throws Exception {
        int port = FreePort.find();
        Path log = Files.createTempFile("braid-process", ".log");
        try (EmbeddedRedis redis = EmbeddedRedis.start(0)) {
            try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
                admin.aclSetUser("braid", "on", ">the-right-one", "~*", "+@all");
            }
            Process process = launch(Map.of("SERVER_PORT", Integer.toString(port),
                                            "REDIS_URL", redis.uri(),
                                            "REDIS_USERNAME", "braid",
                                            "REDIS_PASSWORD", "a-stale-s3cret"), log);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String stderr = Files.readString(log);
            assertThat(process.exitValue()).as(stderr).isEqualTo(2);
            assertThat(stderr).contains("redis.password: Redis refused the password of user 'braid'")
                    .doesNotContain("a-stale-s3cret");
            assertThat(FreePort.isFree(port)).isTrue();
        }
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishThenStops() throws Exception {
        int api = FreePort.find();
        int admin = FreePort.find();
        Path log = Files.createTempFile("braid-process", ".log");
        Process process = launch(Map.of("SERVER_PORT", Integer.toString(api),
                                        "SERVER_ADMIN_dash_PORT", Integer.toString(admin),
                                        "SERVER_SHUTDOWN_dash_GRACE", "10s",
                                        "SOURCES_TRENDING_URL", trending.endpoint(),
                                        "SOURCES_TRENDING_TIMEOUT", "5s",
                                        "SURFACES_HOME_BUDGET", "5s",
                                        "OPENSEARCH_URL", "http://127.0.0.1:" + FreePort.find()), log);
        try {
            long started = System.nanoTime();
            awaitReady(admin, process);
            System.out.printf("braid.jar ready after %d ms%n", Duration.ofNanos(System.nanoTime() - started).toMillis());

            trending.mode(FaultMode.SLOW, Duration.ofMillis(1_500), Duration.ZERO);
            CompletableFuture<HttpResponse<String>> inFlight = CLIENT.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/v1/recommendations?user=u1"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (trending.requests() == 0 || trending.lastRequest().query() == null
                   || !trending.lastRequest().query().contains("user=u1")) {
                assertThat(System.nanoTime()).as("the request reached the downstream").isLessThan(deadline);
                Thread.onSpinWait();
            }

            process.destroy();  // SIGTERM

            HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.body()).contains("\"sources_used\":[\"trending\"]");
            assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(FreePort.isFree(api)).isTrue();
            assertThat(Files.readString(log)).contains("drained in").contains("stopped");
        } finally {
            trending.reset();
            process.destroyForcibly();
        }
    }

    private static void awaitReady(int admin, Process process) throws InterruptedException {
        URI ready = URI.create("http://127.0.0.1:" + admin + "/observe/health/ready");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("braid.jar is running").isTrue();
            try {
                if (CLIENT.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(1)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        throw new AssertionError("braid.jar did not become ready within 60 s");
    }

    /** Starts target/braid.jar from the repository root, its log (stderr) going to {@code log}. */
    private static Process launch(Map<String, String> environment, Path log) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "--enable-preview", "-Xmx256m", "-jar",
                                                            JAR.toString()));
        builder.environment().putAll(environment);
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(log.toFile());
        log.toFile().deleteOnExit();
        return builder.start();
    }
}

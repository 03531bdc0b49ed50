package dev.braid.dev;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import dev.braid.Braid;
import dev.braid.BraidConfig;
import dev.braid.Main;
import dev.braid.http.transport.FileDescriptorBudget;
import dev.braid.ratelimit.RateLimitConfig;
import dev.braid.sim.DatabricksSimulator;
import dev.braid.sim.PersonalizeSimulator;
import dev.braid.sim.SimulatorControlServer;
import dev.braid.sim.TrendingSimulator;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultInjectable;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.FreePort;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The embedded default behind {@code bin/dev}: real Redis and OpenSearch (behind fault proxies), the demo catalog and
 * users, the simulated downstreams with their control API, and K Braid replicas built by the production
 * {@link Main#start} — each with its own clients and breakers, like K pods. Test code: none of it ships.
 */
public final class DevStack implements AutoCloseable {
    public static final String ADMIN_TOKEN = "dev-admin-token";
    static final long SEED = 42;
    static final String DATABRICKS_TOKEN = "dev-databricks-token";
    static final String PERSONALIZE_CAMPAIGN = "arn:aws:personalize:us-east-1:000000000000:campaign/braid-dev-home";
    /** Each replica's bound of concurrent requests. */
    static final int MAX_CONCURRENT_REQUESTS = 256;
    /** The simulated campaign's TPS, shared by every replica. */
    static final int PERSONALIZE_QUOTA = 100;
    /** Simulated latencies of the downstreams, as the fan-out benchmark assumes them. */
    static final Duration PERSONALIZE_LATENCY = Duration.ofMillis(25);
    static final Duration DATABRICKS_LATENCY = Duration.ofMillis(40);
    static final Duration TRENDING_LATENCY = Duration.ofMillis(10);

    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<Braid> replicas = new ArrayList<>();
    private EmbeddedRedis redis;
    private EmbeddedOpenSearch openSearch;
    private SimulatorControlServer control;

    public static void main(String[] args) throws InterruptedException {
        if (DevOptions.wantsHelp(List.of(args))) {
            System.out.println(DevOptions.USAGE);
            return;
        }
        DevOptions options;
        try {
            options = DevOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("bin/dev: " + e.getMessage() + "\n" + DevOptions.USAGE);
            System.exit(2);
            return;
        }
        for (DevOptions.PortUse use : options.ports()) {
            if (!FreePort.isFree(use.port())) {
                System.err.println("bin/dev: port " + use.port() + " is already in use (" + use.option()
                                   + "); stop what holds it or choose another with " + use.option());
                System.exit(3);
            }
        }
        long began = System.nanoTime();
        DevStack stack = new DevStack();
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "bin-dev-stop"));
        try {
            stack.start(options);
        } catch (RuntimeException e) {
            System.err.println("bin/dev: start-up failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.err.printf("bin/dev: ready after %.1f s%n", (System.nanoTime() - began) / 1e9);
        System.out.println(stack.readyLine(options));
        System.out.flush();
        new CountDownLatch(1).await();
    }

    void start(DevOptions options) {
        say("starting Redis");
        redis = keep(EmbeddedRedis.start(0));
        FaultProxy redisProxy = keep(FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", redis.port()), 0));

        say("starting OpenSearch (takes a few seconds)");
        openSearch = keep(EmbeddedOpenSearch.start(0));
        FaultProxy openSearchProxy =
                keep(FaultProxy.start("opensearch", new InetSocketAddress("127.0.0.1", openSearch.httpPort()), 0));

        List<DemoCatalog.Item> catalog = DemoCatalog.generate(DemoCatalog.DEFAULT_SIZE, SEED);
        say("loading " + catalog.size() + " catalog items and " + DemoUsers.DEFAULT_USERS + " demo users");
        DemoCatalogLoader.load(openSearch.uri(), DemoCatalogLoader.ALIAS, catalog);
        loadUsers(DemoUsers.generate(catalog, DemoUsers.DEFAULT_USERS, SEED));

        List<String> ids = DemoCatalog.itemIds(catalog.size());
        TrendingSimulator trending = keep(new TrendingSimulator(ids, TRENDING_LATENCY).start(0));
        PersonalizeSimulator personalize = keep(new PersonalizeSimulator(ids, PERSONALIZE_LATENCY).start(0));
        DatabricksSimulator databricks = keep(new DatabricksSimulator(ids, DATABRICKS_LATENCY, DATABRICKS_TOKEN,
                                                                      Set.of("braid-recs"), "1").start(0));
        Map<String, FaultInjectable> targets = new LinkedHashMap<>();
        targets.put("personalize", personalize);
        targets.put("databricks", databricks);
        targets.put("trending", trending);
        targets.put("redis", redisProxy);
        targets.put("opensearch", openSearchProxy);
        control = keep(SimulatorControlServer.start("127.0.0.1", options.simPort(), targets));

        // The AWS SDK finds credentials through its standard chain, as in production; the simulator checks the SigV4
        // signature's form, not the key. No instance-metadata lookups from a developer's machine.
        System.setProperty("aws.accessKeyId", "AKIABRAIDDEV");
        System.setProperty("aws.secretAccessKey", "braid-dev-secret");
        System.setProperty("aws.disableEc2Metadata", "true");
        for (int i = 0; i < options.replicas(); i++) {
            Map<String, String> overrides = new LinkedHashMap<>();
            overrides.put("server.host", "127.0.0.1");
            overrides.put("server.port", Integer.toString(options.port() + i));
            overrides.put("server.admin-port", Integer.toString(options.adminPort() + i));
            overrides.put("server.admin-token", ADMIN_TOKEN);
            overrides.put("server.shutdown-grace", "2s");
            // A bound low enough that shedding can be seen on a laptop: beyond it, 503 + Retry-After at once.
            overrides.put("server.max-concurrent-requests", Integer.toString(MAX_CONCURRENT_REQUESTS));
            // One cursor secret for every replica, as in production: a cursor from one verifies on all.
            overrides.put("search.cursor-secret", "dev-cursor-secret-not-for-production");
            overrides.put("cache.l1-enabled", Boolean.toString(!options.noL1()));
            overrides.put("sources.trending.url", trending.endpoint());
            overrides.put("sources.databricks.kind", "databricks");
            overrides.put("sources.databricks.workspace", databricks.baseUri().toString());
            overrides.put("sources.databricks.endpoint", "braid-recs");
            overrides.put("sources.databricks.token", DATABRICKS_TOKEN);
            overrides.put("sources.personalize.kind", "personalize");
            overrides.put("sources.personalize.endpoint", personalize.baseUri().toString());
            overrides.put("sources.personalize.region", "us-east-1");
            overrides.put("sources.personalize.arns.home", PERSONALIZE_CAMPAIGN);
            // The simulated campaign's quota, for the whole fleet: with --replicas 3 the replicas share 100 calls a
            // second (GET /admin/quotas), and a load beyond it shows personalize as rate_limited.
            overrides.put("sources.personalize.rate-limit", Integer.toString(PERSONALIZE_QUOTA));
            overrides.put("sources.personalize.rate-burst", "20");
            overrides.put("surfaces.home.sources.personalize.weight", "1.0");
            overrides.put("sources.content.kind", "opensearch");
            overrides.put("sources.content.timeout", "100ms");
            // A demo user with a history: the warm-up then also runs the content source's more_like_this path.
            overrides.put("server.warmup-user", "u1");
            overrides.put("sources.content.index", DemoCatalogLoader.ALIAS);
            overrides.put("surfaces.home.sources.databricks.weight", "1.0");
            overrides.put("surfaces.home.sources.content.weight", "0.5");
            overrides.put("surfaces.home.sources.content.required", "false");
            overrides.put("opensearch.url", "http://127.0.0.1:" + openSearchProxy.port());
            overrides.put("redis.url", "redis://127.0.0.1:" + redisProxy.port());
            // Demo limits: 500 requests a second per caller and endpoint class, shared by the replicas. A flood from
            // one caller sees 429s; the benchmarks' signed-in users (u1..u200) stay well below. Environment variables
            // override them (RATE_dash_LIMITS_ENABLED=false for the anonymous benchmark at full speed).
            for (String endpointClass : RateLimitConfig.CLASSES) {
                overrides.put("rate-limits." + endpointClass + ".quota", "500");
                overrides.put("rate-limits." + endpointClass + ".window", "1s");
            }
            overrides.put("rate-limits.replicas", Integer.toString(options.replicas()));
            // K replicas share this one process's file descriptors, as K pods would not: each holds its share.
            overrides.put("server.connections.max", Integer.toString(FileDescriptorBudget.apiConnections(
                    10_000, 256, options.replicas(), FileDescriptorBudget.limit())));
            Braid replica = Main.start(BraidConfig.create(config(overrides)));
            replicas.add(replica);
            say("replica " + i + ": api " + replica.apiPort() + ", admin " + replica.adminPort());
        }
        replicas.forEach(DevStack::awaitReady);
    }

    String readyLine(DevOptions options) {
        return "BRAID READY api=http://127.0.0.1:" + options.port() + " admin=http://127.0.0.1:" + options.adminPort()
               + " sim=http://127.0.0.1:" + control.port() + " redis=" + redis.uri() + " opensearch=" + openSearch.uri();
    }

    /** Stops everything, replicas first (gracefully), then what they depend on. */
    @Override
    public synchronized void close() {
        replicas.forEach(Braid::stop);
        replicas.clear();
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("bin/dev: stopping " + started.get(i).getClass().getSimpleName() + " failed: " + e);
            }
        }
        started.clear();
    }

    /**
     * The replicas' configuration: system properties and environment variables still win (so
     * {@code SURFACES_HOME_BUDGET=300ms bin/dev} works), then the dev stack's wiring, then application.yaml.
     */
    private static Config config(Map<String, String> overrides) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(List.<Supplier<? extends ConfigSource>>of(
                        ConfigSources.systemProperties(), ConfigSources.environmentVariables(),
                        ConfigSources.create(overrides), ConfigSources.file("config/application.yaml")))
                .disableCaching()
                .build();
    }


    /** Interaction histories as {@code history:{user}} lists, newest first (JSON per entry). */
    private void loadUsers(List<DemoUsers.Interaction> interactions) {
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            Pipeline pipeline = jedis.pipelined();
            for (DemoUsers.Interaction interaction : interactions) {
                pipeline.rpush("history:{" + interaction.user() + "}",
                               "{\"item_id\":\"" + interaction.itemId() + "\",\"type\":\"" + interaction.type()
                               + "\",\"value\":" + interaction.value() + ",\"ts\":\"" + interaction.at() + "\"}");
            }
            pipeline.sync();
        }
    }

    private static void awaitReady(Braid replica) {
        URI ready = URI.create("http://127.0.0.1:" + replica.adminPort() + "/observe/health/ready");
        try (HttpClient http = HttpClient.newHttpClient()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                                                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (java.io.IOException e) {
                    // not yet listening
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("replica on port " + replica.apiPort() + " did not become ready");
    }

    private <T extends AutoCloseable> T keep(T resource) {
        started.add(resource);
        return resource;
    }

    private static void say(String line) {
        System.err.println("bin/dev: " + line);
    }
}

package dev.braid;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Logger;

import dev.braid.config.ConfigLoader;
import dev.braid.config.InvalidConfigException;
import dev.braid.config.ServerConfig;
import dev.braid.http.AdminAuthFilter;
import dev.braid.http.AdminService;
import dev.braid.http.AnswerEncoding;
import dev.braid.http.ClientAddresses;
import dev.braid.http.EventsService;
import dev.braid.http.ExchangeFilter;
import dev.braid.http.FeedService;
import dev.braid.http.ItemsService;
import dev.braid.http.OpenApiService;
import dev.braid.http.ProblemDirectHandler;
import dev.braid.http.ProblemResponses;
import dev.braid.http.RateLimitFilter;
import dev.braid.http.RecommendationsService;
import dev.braid.http.RequestContextFilter;
import dev.braid.http.SearchService;
import dev.braid.http.transport.FileDescriptorBudget;
import dev.braid.observe.KeepLoggingUntilStopped;
import dev.braid.observe.LogFormatter;
import dev.braid.search.opensearch.ReindexCommand;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.DirectHandler;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.cors.CorsFeature;
import io.helidon.webserver.cors.CorsPathConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * The composition root: reads the configuration, builds the components, starts the server. It only wires; behaviour
 * lives in the packages it wires together.
 */
public final class Main {
    /** The named socket of the admin port: health, metrics and operator actions, never on the public port. */
    public static final String ADMIN_SOCKET = "admin";
    private static final Logger LOG = Logger.getLogger(Main.class.getName());
    /** What a stop may take beyond the drain: stopping the server and closing the clients. */
    private static final Duration LAST_LINES = Duration.ofSeconds(5);
    /** No request body the API reads is larger; each endpoint's own limit is lower. */
    private static final long MAX_PAYLOAD_BYTES = 2L << 20;

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        if (args.length > 0 && args[0].equals("reindex")) {
            List<String> options = List.of(args).subList(1, args.length);
            System.exit(ReindexCommand.run(options, Main::reindexTarget, System.out, System.err));
        }
        BraidConfig config;
        try {
            config = BraidConfig.create(ConfigLoader.load());
        } catch (InvalidConfigException e) {
            // Before any port opens: a bad setting stops the process with its key and rule.
            System.err.println("braid: " + e.getMessage());
            System.exit(2);
            return;
        }
        LogFormatter.use(config.observe().logFormat());
        // SIGTERM: drain, then stop. Helidon's own hook would stop at once, interrupting requests in flight. Registered
        // before the server starts, so that a SIGTERM just after the instance turned ready finds it.
        KeepLoggingUntilStopped logging = KeepLoggingUntilStopped.install(
                config.server().shutdownGrace().plus(LAST_LINES));
        AtomicReference<Braid> running = new AtomicReference<>();
        io.helidon.Main.addShutdownHandler(() -> {
            Braid instance = running.get();
            if (instance != null) {
                instance.stop();
            }
            logging.stopped();
        });
        Braid braid;
        try {
            braid = start(config, running::set);
        } catch (InvalidConfigException e) {
            // A setting only the server it names can judge (Redis refusing the password): as fatal as a bad value.
            System.err.println("braid: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOG.info(() -> "braid ready: api port " + braid.apiPort() + ", admin port " + braid.adminPort());
    }

    /** The reindex command's cluster and alias, from the configuration the server reads. */
    private static ReindexCommand.Target reindexTarget() {
        BraidConfig config = BraidConfig.create(ConfigLoader.load());
        return new ReindexCommand.Target(OpenSearchClients.forBulkLoads(config.openSearch()), config.catalog().index());
    }

    /** Builds and starts one instance; tests and the dev stack start several side by side. */
    public static Braid start(BraidConfig config) {
        return start(config, braid -> {
        });
    }

    /** As {@link #start(BraidConfig)}; {@code listening} learns of the instance before it warms up and turns ready. */
    public static Braid start(BraidConfig config, Consumer<Braid> listening) {
        Components components = Components.create(config);
        Warmup warmup = new Warmup();
        Braid braid;
        try {
            braid = new Braid(server(config.server(), components, warmup).start(), components);
            components.apiListener().listening(braid.apiPort());
        } catch (RuntimeException e) {
            components.close();
            throw e;
        }
        listening.accept(braid);
        // Listening but not ready: probes see the instance alive while it warms up.
        warmup.run(braid.apiPort(), config.surfaces().keySet(), config.server().warmupRequests(),
                   config.server().warmupUser());
        components.pipeline().startCaching();
        return braid;
    }

    /** The public API, as {@code openapi/braid.yaml} documents it (OpenApiRoutesTest keeps the two equal). */
    public static void routing(HttpRouting.Builder routing, Components components) {
        // Outermost: it sees each exchange end with the status the problem mapping inside it gave.
        routing.addFilter(RequestContextFilter.api(clientAddresses(components), components.meters(),
                                                   components.tracing()))
                .addFilter(new ExchangeFilter(new ProblemResponses()));
        if (components.rateLimiter() != null) {
            routing.addFilter(new RateLimitFilter(components.rateLimiter()));
        }
        routing.addFilter(components.gate())
                .register("/v1/recommendations", new RecommendationsService(components.pipeline()))
                .register("/v1/items", new ItemsService(components.catalog(), components.config().catalog().timeout()))
                .register("/v1/search", new SearchService(components.search()))
                .register("/v1/feed", new FeedService(components.feed()))
                .register("/v1/events", new EventsService(components.events(), components.meters()))
                .register("/openapi", OpenApiService.fromClasspath())
                .error(Throwable.class, new ProblemResponses());
    }

    /** The admin port's own routes; the observe feature adds health and metrics beside them. */
    public static void adminRouting(HttpRouting.Builder routing, Components components) {
        routing.addFilter(RequestContextFilter.admin(clientAddresses(components)))
                .addFilter(new ExchangeFilter(new ProblemResponses()))
                .addFilter(new AdminAuthFilter(components.config().server().adminToken()))
                .register("/admin", new AdminService(components.config()::redacted, components::breakerStates,
                                                       components.generations()::bump, components.recordings(),
                                                       components::quotaStates))
                .error(Throwable.class, new ProblemResponses());
    }

    private static ClientAddresses clientAddresses(Components components) {
        return new ClientAddresses(components.config().server().trustedProxies());
    }

    private static WebServer server(ServerConfig server, Components components, Warmup warmup) {
        DirectHandlers problems = directHandlers(components);
        ServerConfig.Connections connections = server.connections();
        int apiMax = FileDescriptorBudget.apiConnections(connections.max(), server.adminConnections().max(), 1,
                                                         FileDescriptorBudget.limit());
        if (apiMax < connections.max()) {
            LOG.warning("server.connections.max " + connections.max() + " is more than this process's file-descriptor "
                        + "limit leaves (ulimit -n " + FileDescriptorBudget.limit().orElse(-1) + "); holding at most "
                        + apiMax + " API connections");
        }
        WebServerConfig.Builder builder = WebServer.builder();
        if (!server.corsOrigins().isEmpty()) {
            builder.addFeature(cors(server.corsOrigins()));
        }
        return builder
                .shutdownHook(false)
                .featuresDiscoverServices(false)
                .host(server.host())
                .port(server.port())
                // HTTP/1.1 only, through the guard alone (see ConnectionGuard: it must be the port's only selector).
                .protocolsDiscoverServices(false)
                .addConnectionSelector(components.connections())
                .maxTcpConnections(apiMax)
                // Load shedding: beyond the bound a request is answered 503 + Retry-After at once (Helidon's fixed limit
                // with no queue), counted; the admin socket has no bound, so readiness and operators are never shed.
                .maxConcurrentRequests(server.maxConcurrentRequests())
                .maxPayloadSize(MAX_PAYLOAD_BYTES)
                .directHandlers(problems)
                // Helidon's messages reach the direct handler, which words every answer itself and reads only the ones
                // Braid's transport wrote (the part of a malformed target it names).
                .errorHandling(errors -> errors.includeEntity(true))
                .contentEncoding(AnswerEncoding.none())
                .routing(routing -> routing(routing, components))
                .putSocket(ADMIN_SOCKET, admin -> admin
                        .host(server.host())
                        .port(server.adminPort())
                        .protocolsDiscoverServices(false)
                        .addConnectionSelector(components.adminConnections())
                        .maxTcpConnections(server.adminConnections().max())
                        .directHandlers(problems)
                        .routing(routing -> adminRouting(routing, components)))
                .addFeature(ObserveFeature.builder()
                                    .sockets(List.of(ADMIN_SOCKET))
                                    .addObserver(HealthObserver.builder()
                                                         .useSystemServices(false)
                                                         .details(true)
                                                         .addCheck(() -> {
                                                             boolean listening = components.apiListener().alive();
                                                             return HealthCheckResponse.builder()
                                                                     .status(components.gate().isOpen() && warmup.done()
                                                                             && listening)
                                                                     .detail("accepting", components.gate().isOpen())
                                                                     .detail("warmed-up", warmup.done())
                                                                     .detail("api-listener", listening)
                                                                     .build();
                                                         }, HealthCheckType.READINESS, "serving")
                                                         // A listener that died (out of file descriptors) never comes
                                                         // back: only a restart helps.
                                                         .addCheck(() -> HealthCheckResponse.builder()
                                                                           .status(components.apiListener().alive())
                                                                           .build(),
                                                                   HealthCheckType.LIVENESS, "api-listener")
                                                         .build())
                                    .addObserver(MetricsObserver.create())
                                    .build())
                .build();
    }

    /**
     * Cross-origin calls from the configured browser origins only, to the public API only. Without this feature no CORS
     * header is ever sent, and a browser keeps other sites' pages from reading Braid's answers.
     */
    private static CorsFeature cors(List<String> origins) {
        return CorsFeature.builder()
                .enabled(true)
                .addDefaults(false)
                .addSocket(WebServer.DEFAULT_SOCKET_NAME)
                .addPath(CorsPathConfig.builder()
                                 .pathPattern("/v1/*")
                                 .allowOrigins(Set.copyOf(origins))
                                 .allowMethods(Set.of("GET", "HEAD", "POST"))
                                 .allowHeaders(Set.of("Content-Type", "Idempotency-Key", "If-None-Match",
                                                      "X-Request-Id", "X-Request-Timeout", "X-Country",
                                                      "X-Anonymous-Id", "Accept-Language"))
                                 .exposeHeaders(Set.of("ETag", "Retry-After", "RateLimit", "RateLimit-Policy",
                                                       "X-Request-Id", "Idempotent-Replayed"))
                                 .build())
                .build();
    }

    private static DirectHandlers directHandlers(Components components) {
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        ProblemDirectHandler problem = new ProblemDirectHandler(components.meters());
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, problem);
        }
        return handlers.build();
    }
}

package dev.braid.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The two listening sockets, how much of them one replica and one client may hold, and shutdown behaviour.
 *
 * @param host                  interface both sockets bind to
 * @param port                  public API port
 * @param adminPort             admin/observe port: health, metrics, operator actions; never reachable on {@code port}
 * @param shutdownGrace         how long in-flight requests may run after SIGTERM before the server stops
 * @param adminToken            bearer token for {@code /admin/*}; empty disables the admin actions (every call is 401)
 * @param warmupRequests        requests per surface an instance sends itself before it reports ready (0: none)
 * @param warmupUser            the user every second warm-up request is signed in as, so the per-user sources' clients
 *                              (the AWS SDK's first call is slow) are warm too; empty: anonymous warm-up requests only
 * @param connections           the API port's connection limits and read deadlines
 * @param adminConnections      the admin port's: probes and scrapes are few, so its limits are small; it has limits of
 *                              its own so that a flood of it cannot take the API port's file descriptors, nor the reverse
 * @param maxConcurrentRequests requests in flight on the API port; more are answered 503 at once (the admin port is
 *                              never limited)
 * @param trustedProxies        peers whose {@code X-Forwarded-For} names the client (load balancers, ingress); from
 *                              anyone else the header is ignored and the peer is the client
 * @param corsOrigins           browser origins allowed to call the API cross-site; empty: no CORS headers at all
 */
public record ServerConfig(String host, int port, int adminPort, Duration shutdownGrace, String adminToken,
                           int warmupRequests, String warmupUser, Connections connections,
                           Connections adminConnections, int maxConcurrentRequests,
                           List<AddressRange> trustedProxies, List<String> corsOrigins) {
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?");

    /**
     * @param max           TCP connections the API port holds at once; more wait in the accept backlog
     * @param perClient     connections one client address may hold; trusted proxies are exempt
     * @param idleTimeout   a connection without a request in progress is closed after this (also bounds how long the
     *                      request line may take to arrive)
     * @param headerTimeout from the request line to the end of the header section
     * @param bodyTimeout   reading one request body
     * @param responseTimeout from the end of the header section until the answer is written: the handler's own budget
     *                      ends far sooner, so past this the client is not reading its answers and is cut off
     */
    public record Connections(int max, int perClient, Duration idleTimeout, Duration headerTimeout,
                              Duration bodyTimeout, Duration responseTimeout) {
        public Connections {
            Rule.atLeast("max", max, 1);
            Rule.atLeast("per-client", perClient, 1);
            Rule.positive("idle-timeout", idleTimeout);
            Rule.positive("header-timeout", headerTimeout);
            Rule.positive("body-timeout", bodyTimeout);
            Rule.positive("response-timeout", responseTimeout);
        }

        static final Connections API = new Connections(10_000, 256, Duration.ofSeconds(30), Duration.ofSeconds(10),
                                                       Duration.ofSeconds(10), Duration.ofSeconds(10));
        /** A recording download may take a while; everything else on the admin port is small. */
        static final Connections ADMIN = new Connections(256, 64, Duration.ofSeconds(30), Duration.ofSeconds(10),
                                                         Duration.ofSeconds(10), Duration.ofSeconds(120));

        static Connections read(Settings node, Connections defaults) {
            return node.bind(() -> new Connections(
                    node.integer("max", defaults.max()),
                    node.integer("per-client", defaults.perClient()),
                    node.duration("idle-timeout", defaults.idleTimeout()),
                    node.duration("header-timeout", defaults.headerTimeout()),
                    node.duration("body-timeout", defaults.bodyTimeout()),
                    node.duration("response-timeout", defaults.responseTimeout())));
        }
    }

    public ServerConfig {
        Rule.notBlank("host", host);
        Rule.port("port", port);
        Rule.port("admin-port", adminPort);
        Rule.check(port == 0 || port != adminPort, "admin-port", "must differ from port (both " + port + ")");
        Rule.positive("shutdown-grace", shutdownGrace);
        Rule.check(adminToken != null, "admin-token", "must be set (may be empty to disable admin actions)");
        Rule.check(warmupRequests >= 0 && warmupRequests <= 1_000, "warmup-requests", "must be 0..1000 (was "
                   + warmupRequests + ")");
        Rule.atLeast("max-concurrent-requests", maxConcurrentRequests, 1);
        trustedProxies = List.copyOf(trustedProxies);
        corsOrigins = List.copyOf(corsOrigins);
        for (String origin : corsOrigins) {
            Rule.check(origin.equals("*") || ORIGIN.matcher(origin).matches(), "cors.allowed-origins",
                       "each must be * or an origin such as https://shop.example.com (was '" + origin + "')");
        }
    }

    public static ServerConfig create(Settings node) {
        return node.bind(() -> new ServerConfig(
                node.string("host", "0.0.0.0"),
                node.integer("port", 8080),
                node.integer("admin-port", 9090),
                node.duration("shutdown-grace", Duration.ofSeconds(10)),
                node.string("admin-token", ""),
                node.integer("warmup-requests", 20),
                node.string("warmup-user", "braid-warmup").trim(),
                Connections.read(node.child("connections"), Connections.API),
                Connections.read(node.child("admin-connections"), Connections.ADMIN),
                node.integer("max-concurrent-requests", 1_000),
                ranges(node.list("trusted-proxies", List.of())),
                corsOrigins(node.child("cors"))));
    }

    private static List<String> corsOrigins(Settings cors) {
        return cors.bind(() -> cors.list("allowed-origins", List.of()));
    }

    private static List<AddressRange> ranges(List<String> texts) {
        List<AddressRange> ranges = new ArrayList<>();
        for (String text : texts) {
            try {
                ranges.add(AddressRange.parse(text));
            } catch (IllegalArgumentException e) {
                throw new Rule.BrokenRule("trusted-proxies", e.getMessage());
            }
        }
        return ranges;
    }

    public boolean adminEnabled() {
        return !adminToken.isEmpty();
    }

    @Override
    public String toString() {
        // The token is a secret: never in logs or /admin/config.
        return "ServerConfig[host=" + host + ", port=" + port + ", adminPort=" + adminPort
                + ", shutdownGrace=" + Settings.format(shutdownGrace) + ", adminToken=" + (adminEnabled() ? "***" : "")
                + ", warmupRequests=" + warmupRequests + ", warmupUser=" + warmupUser + ", connections=" + connections
                + ", adminConnections=" + adminConnections
                + ", maxConcurrentRequests=" + maxConcurrentRequests + ", trustedProxies=" + trustedProxies
                + ", corsOrigins=" + corsOrigins + "]";
    }
}

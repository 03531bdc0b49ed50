package dev.braid.config;

import java.time.Duration;

/**
 * The two listening sockets and shutdown behaviour.
 *
 * @param host          interface both sockets bind to
 * @param port          public API port
 * @param adminPort     admin/observe port: health, metrics, operator actions; never reachable on {@code port}
 * @param shutdownGrace how long in-flight requests may run after SIGTERM before the server stops
 * @param adminToken    bearer token for {@code /admin/*}; empty disables the admin actions (every call is 401)
 * @param warmupRequests requests per surface an instance sends itself before it reports ready (0: none)
 * @param warmupUser    the user every second warm-up request is signed in as, so the per-user sources' clients (the AWS
 *                      SDK's first call is slow) are warm too; empty: anonymous warm-up requests only
 */
public record ServerConfig(String host, int port, int adminPort, Duration shutdownGrace, String adminToken,
                           int warmupRequests, String warmupUser) {

    public ServerConfig {
        Rule.notBlank("host", host);
        Rule.port("port", port);
        Rule.port("admin-port", adminPort);
        Rule.check(port == 0 || port != adminPort, "admin-port", "must differ from port (both " + port + ")");
        Rule.positive("shutdown-grace", shutdownGrace);
        Rule.check(adminToken != null, "admin-token", "must be set (may be empty to disable admin actions)");
        Rule.check(warmupRequests >= 0 && warmupRequests <= 1_000, "warmup-requests", "must be 0..1000 (was "
                   + warmupRequests + ")");
    }

    public static ServerConfig create(Settings node) {
        return node.bind(() -> new ServerConfig(
                node.string("host", "0.0.0.0"),
                node.integer("port", 8080),
                node.integer("admin-port", 9090),
                node.duration("shutdown-grace", Duration.ofSeconds(10)),
                node.string("admin-token", ""),
                node.integer("warmup-requests", 20),
                node.string("warmup-user", "braid-warmup").trim()));
    }

    public boolean adminEnabled() {
        return !adminToken.isEmpty();
    }

    @Override
    public String toString() {
        // The token is a secret: never in logs or /admin/config.
        return "ServerConfig[host=" + host + ", port=" + port + ", adminPort=" + adminPort
                + ", shutdownGrace=" + Settings.format(shutdownGrace) + ", adminToken=" + (adminEnabled() ? "***" : "")
                + ", warmupRequests=" + warmupRequests + ", warmupUser=" + warmupUser + "]";
    }
}

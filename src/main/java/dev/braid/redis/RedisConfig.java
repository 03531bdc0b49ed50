package dev.braid.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import dev.braid.config.PemCertificates;
import dev.braid.config.Rule;
import dev.braid.config.Settings;

import redis.clients.jedis.util.JedisURIHelper;

/**
 * The Redis deployment: one standalone server, or a cluster when {@code nodes} is set; in both, who Braid signs in as
 * and whether it speaks TLS.
 *
 * @param url            {@code redis[s]://[user:password@]host:port[/db]} of a standalone server (ignored in cluster
 *                       mode, except for credentials in it, used as {@code username}/{@code password}); {@code rediss}
 *                       turns TLS on
 * @param nodes          {@code host:port} seed nodes of a cluster; empty: standalone
 * @param credentials    the ACL user and password (or a {@code requirepass} password alone), in both modes
 * @param tls            TLS to every server, in both modes
 * @param connectTimeout a new connection's limit: TCP connect, then the TLS handshake
 * @param timeout        socket timeout of every command: how long its answer may take
 * @param maxConnections pool size (per node in cluster mode)
 * @param minIdle        connections each pool keeps open while nothing asks for them, so the first requests after a
 *                       quiet spell do not each pay a connect (and a handshake)
 * @param poolWait       how long a command may wait for a free pooled connection; finite, since Jedis would wait forever
 * @param breaker        the shared cache tier's circuit breaker ({@link RedisSharedStore})
 */
public record RedisConfig(URI url, List<String> nodes, Credentials credentials, Tls tls, Duration connectTimeout,
                          Duration timeout, int maxConnections, int minIdle, Duration poolWait, Breaker breaker) {
    private static final Pattern HOST_PORT = Pattern.compile("[^\\s:]+:\\d{1,5}");
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(100);
    static final int DEFAULT_MIN_IDLE = 4;

    /**
     * When the shared cache tier stops calling Redis: a dead Redis must cost a request nothing, not a timeout each.
     *
     * @param failures consecutive failed calls that open the breaker
     * @param openFor  how long every call then skips Redis; afterwards one probe call at a time decides
     */
    public record Breaker(int failures, Duration openFor) {
        public static final Breaker DEFAULT = new Breaker(5, Duration.ofSeconds(2));

        public Breaker {
            Rule.atLeast("failures", failures, 1);
            Rule.positive("open-for", openFor);
        }
    }

    /**
     * Who Braid signs in as: an ACL user and its password, a password alone (the {@code default} user, or a server with
     * {@code requirepass}), or nobody.
     *
     * @param username the ACL user, or empty for the default user
     * @param password its password (a secret), or empty
     */
    public record Credentials(String username, String password) {
        public static final Credentials NONE = new Credentials("", "");

        public Credentials {
            username = username == null ? "" : username;
            password = password == null ? "" : password;
            // Redis has no password-less ACL sign-in: a user without a password would be sent as no AUTH at all.
            Rule.check(username.isEmpty() || !password.isEmpty(), "password",
                       "must be set when username is (user '" + username + "'): set it through REDIS_PASSWORD");
        }

        public boolean present() {
            return !password.isEmpty();
        }

        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=" + (password.isEmpty() ? "" : "***") + "]";
        }
    }

    /**
     * TLS to the servers.
     *
     * @param enabled        speak TLS to every server (a standalone server's {@code rediss://} URL turns it on too)
     * @param caFile         a PEM file of the certificate authorities to trust instead of the JVM's, or {@code null}
     * @param verifyHostname whether a server's certificate must name the host Braid dialled; off only for clusters whose
     *                       nodes announce addresses their certificates do not name
     */
    public record Tls(boolean enabled, Path caFile, boolean verifyHostname) {
        public static final Tls OFF = new Tls(false, null, true);

        public Tls {
            if (caFile != null) {
                try {
                    PemCertificates.read(caFile);
                } catch (IllegalArgumentException e) {
                    Rule.check(false, "ca-file", e.getMessage());
                }
            }
        }

        Tls on() {
            return enabled ? this : new Tls(true, caFile, verifyHostname);
        }
    }

    public RedisConfig {
        Rule.check(url != null && ("redis".equals(url.getScheme()) || "rediss".equals(url.getScheme()))
                   && url.getHost() != null, "url", "must be redis://host:port or rediss://host:port (was " + url + ")");
        nodes = List.copyOf(nodes);
        for (String node : nodes) {
            Rule.check(HOST_PORT.matcher(node).matches(), "nodes", "each node must be host:port (was '" + node + "')");
        }
        Rule.check(credentials != null, "password", "must be set");
        Rule.check(tls != null, "tls", "must be set");
        if (url.getRawUserInfo() != null) {
            // One place for a secret: two that disagree would leave the operator guessing which one Redis refused.
            Rule.check(!credentials.present(), "password",
                       "the credentials are set twice: in redis.url and in redis.username/redis.password; keep one");
            credentials = new Credentials(JedisURIHelper.getUser(url), JedisURIHelper.getPassword(url));
        }
        if (nodes.isEmpty() && "rediss".equals(url.getScheme())) {
            tls = tls.on();
        }
        Rule.positive("connect-timeout", connectTimeout);
        Rule.positive("timeout", timeout);
        Rule.atLeast("max-connections", maxConnections, 1);
        Rule.check(minIdle >= 0 && minIdle <= maxConnections, "min-idle",
                   "must be 0.." + maxConnections + " (max-connections) (was " + minIdle + ")");
        Rule.positive("pool-wait", poolWait);
        Rule.check(breaker != null, "breaker", "must be set");
    }

    /** A plain deployment (credentials only in the URL, no TLS, no idle connections kept) with {@code breaker}. */
    public RedisConfig(URI url, List<String> nodes, Duration timeout, int maxConnections, Duration poolWait,
                       Breaker breaker) {
        this(url, nodes, Credentials.NONE, Tls.OFF, DEFAULT_CONNECT_TIMEOUT, timeout, maxConnections, 0, poolWait,
             breaker);
    }

    /** A plain deployment with the default breaker. */
    public RedisConfig(URI url, List<String> nodes, Duration timeout, int maxConnections, Duration poolWait) {
        this(url, nodes, timeout, maxConnections, poolWait, Breaker.DEFAULT);
    }

    /**
     * The same servers for background work that can wait (the exposure log): a timeout of its own, so a busy Redis
     * slows it down instead of losing its batches, and a small pool of its own, so it never takes a request's connection.
     * None of it kept idle: the work comes in batches, and waits.
     */
    public RedisConfig forBackground(Duration backgroundTimeout, int connections) {
        return new RedisConfig(url, nodes, credentials, tls, connectTimeout, backgroundTimeout, connections, 0,
                               backgroundTimeout, breaker);
    }

    /**
     * The same servers with a pool of their own for one kind of per-request work (the rate limiter's count): a burst of
     * it waits for its own connections and never takes the ones the cache needs.
     */
    public RedisConfig withPool(int connections) {
        return new RedisConfig(url, nodes, credentials, tls, connectTimeout, timeout, connections,
                               Math.min(minIdle, connections), poolWait, breaker);
    }

    public static RedisConfig create(Settings node) {
        Settings breaker = node.child("breaker");
        Settings tls = node.child("tls");
        return node.bind(() -> {
            String caFile = tls.string("ca-file", "").trim();
            Tls readTls = tls.bind(() -> new Tls(tls.bool("enabled", false), caFile.isEmpty() ? null : Path.of(caFile),
                                                 tls.bool("verify-hostname", true)));
            int maxConnections = node.integer("max-connections", 32);
            return new RedisConfig(uri(node), node.list("nodes", List.of()),
                                   new Credentials(node.string("username", "").trim(), node.string("password", "")),
                                   readTls,
                                   node.duration("connect-timeout", DEFAULT_CONNECT_TIMEOUT),
                                   node.duration("timeout", Duration.ofMillis(20)),
                                   maxConnections,
                                   node.integer("min-idle", Math.min(DEFAULT_MIN_IDLE, maxConnections)),
                                   node.duration("pool-wait", Duration.ofMillis(10)),
                                   breaker.bind(() -> new Breaker(
                                           breaker.integer("failures", Breaker.DEFAULT.failures()),
                                           breaker.duration("open-for", Breaker.DEFAULT.openFor()))));
        });
    }

    public boolean cluster() {
        return !nodes.isEmpty();
    }

    /** The setting an operator changes when Redis refuses these credentials. */
    String credentialsKey() {
        return url.getRawUserInfo() != null ? "redis.url" : "redis.password";
    }

    private static URI uri(Settings node) {
        String text = node.string("url", "redis://redis:6379").trim();
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            Rule.check(false, "url", "must be a URI such as redis://redis:6379: " + e.getReason() + " (was '" + text + "')");
            return null;
        }
    }

    @Override
    public String toString() {
        String shown = url.getUserInfo() == null ? url.toString() : url.toString().replace(url.getRawUserInfo(), "***");
        return "RedisConfig[url=" + shown + ", nodes=" + nodes + ", " + credentials + ", " + tls
               + ", connectTimeout=" + Settings.format(connectTimeout) + ", timeout=" + Settings.format(timeout)
               + ", maxConnections=" + maxConnections + ", minIdle=" + minIdle + ", poolWait=" + Settings.format(poolWait)
               + ", breaker=" + breaker.failures() + " failures/" + Settings.format(breaker.openFor()) + "]";
    }
}

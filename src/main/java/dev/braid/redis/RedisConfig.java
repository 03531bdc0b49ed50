package dev.braid.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * The Redis deployment: one standalone server, or a cluster when {@code nodes} is set.
 *
 * @param url            {@code redis://[user:password@]host:port[/db]} of a standalone server (ignored in cluster mode)
 * @param nodes          {@code host:port} seed nodes of a cluster; empty: standalone
 * @param timeout        connect and socket timeout of every command
 * @param maxConnections pool size (per node in cluster mode)
 * @param poolWait       how long a command may wait for a free pooled connection; finite, since Jedis would wait forever
 * @param breaker        the shared cache tier's circuit breaker ({@link RedisSharedStore})
 */
public record RedisConfig(URI url, List<String> nodes, Duration timeout, int maxConnections, Duration poolWait,
                          Breaker breaker) {
    private static final Pattern HOST_PORT = Pattern.compile("[^\\s:]+:\\d{1,5}");

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

    public RedisConfig {
        Rule.check(url != null && ("redis".equals(url.getScheme()) || "rediss".equals(url.getScheme()))
                   && url.getHost() != null, "url", "must be redis://host:port or rediss://host:port (was " + url + ")");
        nodes = List.copyOf(nodes);
        for (String node : nodes) {
            Rule.check(HOST_PORT.matcher(node).matches(), "nodes", "each node must be host:port (was '" + node + "')");
        }
        Rule.positive("timeout", timeout);
        Rule.atLeast("max-connections", maxConnections, 1);
        Rule.positive("pool-wait", poolWait);
        Rule.check(breaker != null, "breaker", "must be set");
    }

    /** A deployment with the default breaker. */
    public RedisConfig(URI url, List<String> nodes, Duration timeout, int maxConnections, Duration poolWait) {
        this(url, nodes, timeout, maxConnections, poolWait, Breaker.DEFAULT);
    }

    /**
     * The same servers for background work that can wait (the exposure log): a timeout of its own, so a busy Redis
     * slows it down instead of losing its batches, and a small pool of its own, so it never takes a request's connection.
     */
    public RedisConfig forBackground(Duration backgroundTimeout, int connections) {
        return new RedisConfig(url, nodes, backgroundTimeout, connections, backgroundTimeout, breaker);
    }

    /**
     * The same servers with a pool of their own for one kind of per-request work (the rate limiter's count): a burst of
     * it waits for its own connections and never takes the ones the cache needs.
     */
    public RedisConfig withPool(int connections) {
        return new RedisConfig(url, nodes, timeout, connections, poolWait, breaker);
    }

    public static RedisConfig create(Settings node) {
        Settings breaker = node.child("breaker");
        return node.bind(() -> new RedisConfig(uri(node), node.list("nodes", List.of()),
                                               node.duration("timeout", Duration.ofMillis(20)),
                                               node.integer("max-connections", 32),
                                               node.duration("pool-wait", Duration.ofMillis(10)),
                                               breaker.bind(() -> new Breaker(
                                                       breaker.integer("failures", Breaker.DEFAULT.failures()),
                                                       breaker.duration("open-for", Breaker.DEFAULT.openFor())))));
    }

    public boolean cluster() {
        return !nodes.isEmpty();
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
        return "RedisConfig[url=" + shown + ", nodes=" + nodes + ", timeout=" + Settings.format(timeout)
               + ", maxConnections=" + maxConnections + ", poolWait=" + Settings.format(poolWait)
               + ", breaker=" + breaker.failures() + " failures/" + Settings.format(breaker.openFor()) + "]";
    }
}

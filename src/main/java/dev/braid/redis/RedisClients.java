package dev.braid.redis;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import dev.braid.config.PemCertificates;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.StaticCommandFlagsRegistry;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.executors.ClusterCommandExecutor;
import redis.clients.jedis.executors.CommandExecutor;
import redis.clients.jedis.executors.DefaultCommandExecutor;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.util.JedisURIHelper;

/** Builds the one Redis client of an instance from its {@link RedisConfig}: standalone or cluster, pooled, bounded. */
public final class RedisClients {
    private static final Logger LOG = Logger.getLogger(RedisClients.class.getName());

    private RedisClients() {
    }

    /**
     * A pooled client whose every command is bounded: connect and socket timeout, and a finite wait for a pooled
     * connection. Creating a standalone client does not connect; a cluster client asks its seed nodes for the topology.
     */
    public static UnifiedJedis create(RedisConfig config) {
        DefaultJedisClientConfig.Builder client = clientConfig(config, millis(config.connectTimeout()),
                                                               millis(config.timeout()), "braid");
        if (config.cluster()) {
            Set<HostAndPort> nodes = new LinkedHashSet<>();
            config.nodes().forEach(node -> nodes.add(HostAndPort.from(node)));
            ClusterConnectionProvider provider = new ClusterConnectionProvider(nodes, client.build(), pool(config));
            // One redirect or reconnect at most: a command must not outlive the caller's small budget.
            CommandExecutor executor = new ClusterCommandExecutor(provider, 2, config.timeout().multipliedBy(2),
                                                                  StaticCommandFlagsRegistry.registry());
            return RedisClusterClient.builder()
                    .nodes(nodes)
                    .connectionProvider(provider)
                    .commandExecutor(new DeadConnectionRecovery(executor, provider))
                    .build();
        }
        PooledConnectionProvider provider = new PooledConnectionProvider(JedisURIHelper.getHostAndPort(config.url()),
                                                                         client.build(), pool(config));
        return RedisClient.builder()
                .connectionProvider(provider)
                .commandExecutor(new DeadConnectionRecovery(new DefaultCommandExecutor(provider), provider))
                .build();
    }

    /**
     * The client of {@link #create}, after a first contact that tells a refusal from an outage: Redis refusing the
     * credentials or the TLS handshake failing is a setting to fix, while a Redis that does not answer yet is only
     * missed until it does (a standalone client reconnects by itself; a cluster client cannot be made without a seed).
     *
     * @throws RedisRefusedException naming the setting Redis (or its TLS) refused
     */
    public static UnifiedJedis connect(RedisConfig config) {
        UnifiedJedis client;
        try {
            client = create(config);
        } catch (RuntimeException e) {
            throw RedisRefusedException.of(e, config).map(RuntimeException.class::cast).orElse(e);
        }
        try {
            client.ping();
        } catch (RuntimeException e) {
            RedisRefusedException refused = RedisRefusedException.of(e, config).orElse(null);
            if (refused != null) {
                client.close();
                throw refused;
            }
            LOG.warning(() -> "Redis is not answering at start-up (" + e + "); serving without it until it does");
        }
        return client;
    }

    /**
     * Redis's own news of generation changes, on the servers of {@code redis} (the client {@link #create} made from the
     * same {@code config}): a cluster's nodes as the client knows them, or the standalone server.
     */
    public static GenerationTracking generationTracking(RedisConfig config, UnifiedJedis redis) {
        Supplier<Set<HostAndPort>> nodes = redis instanceof RedisClusterClient cluster
                ? () -> {
                    Set<HostAndPort> known = new LinkedHashSet<>();
                    cluster.getClusterNodes().keySet().forEach(node -> known.add(HostAndPort.from(node)));
                    return known;
                }
                : () -> Set.of(JedisURIHelper.getHostAndPort(config.url()));
        // The tracking connection's heartbeat may wait longer than a request's command: a slow second must not read as
        // lost pushes. The subscription waits for as long as nothing changes.
        int heartbeat = (int) Math.max(1_000, config.timeout().toMillis());
        int connect = Math.max(1_000, millis(config.connectTimeout()));
        return new GenerationTracking(nodes, clientConfig(config, connect, heartbeat), clientConfig(config, connect, 0));
    }

    private static DefaultJedisClientConfig clientConfig(RedisConfig config, int connectMillis, int socketMillis) {
        return clientConfig(config, connectMillis, socketMillis, "braid-generations").build();
    }

    /**
     * Every connection's settings, in both modes: time limits, name, the ACL user and password, TLS, and a standalone
     * server's database.
     */
    static DefaultJedisClientConfig.Builder clientConfig(RedisConfig config, int connectMillis, int socketMillis,
                                                         String name) {
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(connectMillis)
                .socketTimeoutMillis(socketMillis)
                .clientName(name);
        RedisConfig.Credentials credentials = config.credentials();
        if (!credentials.username().isEmpty()) {
            client.user(credentials.username());
        }
        if (credentials.present()) {
            client.password(credentials.password());
        }
        RedisConfig.Tls tls = config.tls();
        if (tls.enabled()) {
            SSLParameters parameters = HandshakeFirst.parameters(tls.verifyHostname());
            SSLContext context = tls.caFile() == null ? defaultContext()
                                                      : PemCertificates.trusting(PemCertificates.read(tls.caFile()));
            client.ssl(true)
                    .sslSocketFactory(new HandshakeFirst(context, parameters, Duration.ofMillis(connectMillis)))
                    .sslParameters(parameters);
        }
        if (!config.cluster()) {
            client.database(JedisURIHelper.getDBIndex(config.url()));
        }
        return client;
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    static ConnectionPoolConfig pool(RedisConfig config) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(config.maxConnections());
        pool.setMaxIdle(config.maxConnections());
        // Kept open (the idle check below refills them each second): a quiet replica's first requests find connections.
        pool.setMinIdle(config.minIdle());
        pool.setBlockWhenExhausted(true);
        // Jedis pools wait forever for a free connection by default; a recommendation request cannot.
        pool.setMaxWait(config.poolWait());
        pool.setTestOnBorrow(false);
        // Every idle connection is pinged each second: dead ones are gone within a second even when no command meets one
        // (a command that does drops them all at once: DeadConnectionRecovery).
        pool.setTestWhileIdle(true);
        pool.setNumTestsPerEvictionRun(-1);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(1));
        return pool;
    }

    private static int millis(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }
}

package dev.braid.redis;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

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
    private RedisClients() {
    }

    /**
     * A pooled client whose every command is bounded: connect and socket timeout, and a finite wait for a pooled
     * connection. Creating a standalone client does not connect; a cluster client asks its seed nodes for the topology.
     */
    public static UnifiedJedis create(RedisConfig config) {
        int timeout = millis(config.timeout());
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                .clientName("braid");
        credentials(client, config);
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
        client.database(JedisURIHelper.getDBIndex(config.url())).ssl(JedisURIHelper.isRedisSSLScheme(config.url()));
        PooledConnectionProvider provider = new PooledConnectionProvider(JedisURIHelper.getHostAndPort(config.url()),
                                                                         client.build(), pool(config));
        return RedisClient.builder()
                .connectionProvider(provider)
                .commandExecutor(new DeadConnectionRecovery(new DefaultCommandExecutor(provider), provider))
                .build();
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
        return new GenerationTracking(nodes, clientConfig(config, heartbeat, heartbeat),
                                      clientConfig(config, heartbeat, 0));
    }

    private static DefaultJedisClientConfig clientConfig(RedisConfig config, int connectMillis, int socketMillis) {
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(connectMillis)
                .socketTimeoutMillis(socketMillis)
                .clientName("braid-generations");
        credentials(client, config);
        if (!config.cluster()) {
            client.database(JedisURIHelper.getDBIndex(config.url())).ssl(JedisURIHelper.isRedisSSLScheme(config.url()));
        }
        return client.build();
    }

    static ConnectionPoolConfig pool(RedisConfig config) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(config.maxConnections());
        pool.setMaxIdle(config.maxConnections());
        pool.setMinIdle(0);
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

    private static void credentials(DefaultJedisClientConfig.Builder client, RedisConfig config) {
        String user = JedisURIHelper.getUser(config.url());
        String password = JedisURIHelper.getPassword(config.url());
        if (user != null) {
            client.user(user);
        }
        if (password != null) {
            client.password(password);
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }
}

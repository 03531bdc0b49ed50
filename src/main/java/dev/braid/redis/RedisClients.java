package dev.braid.redis;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
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
        if (config.cluster()) {
            Set<HostAndPort> nodes = new LinkedHashSet<>();
            config.nodes().forEach(node -> nodes.add(HostAndPort.from(node)));
            credentials(client, config);
            return RedisClusterClient.builder()
                    .nodes(nodes)
                    .clientConfig(client.build())
                    .poolConfig(pool(config))
                    // One redirect or reconnect at most: a command must not outlive the caller's small budget.
                    .maxAttempts(2)
                    .maxTotalRetriesDuration(config.timeout().multipliedBy(2))
                    .build();
        }
        credentials(client, config);
        client.database(JedisURIHelper.getDBIndex(config.url())).ssl(JedisURIHelper.isRedisSSLScheme(config.url()));
        return RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(config.url()))
                .clientConfig(client.build())
                .poolConfig(pool(config))
                .build();
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
        // Every idle connection is pinged each second: after a Redis restart or a network blip the dead ones are gone
        // within a second, instead of each failing one request (and reopening a breaker whose probe drew it).
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

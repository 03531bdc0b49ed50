package dev.braid.testing;

/** Injects the test JVM's one 3-node {@link EmbeddedRedisCluster}, started on first use and stopped when the run ends. */
public final class RedisClusterExtension extends OncePerJvmExtension<EmbeddedRedisCluster> {

    public RedisClusterExtension() {
        super(EmbeddedRedisCluster.class, () -> EmbeddedRedisCluster.start(3));
    }
}

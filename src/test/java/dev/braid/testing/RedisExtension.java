package dev.braid.testing;

/** Injects the test JVM's one {@link EmbeddedRedis}, started on first use and stopped when the test run ends. */
public final class RedisExtension extends OncePerJvmExtension<EmbeddedRedis> {

    public RedisExtension() {
        super(EmbeddedRedis.class, () -> EmbeddedRedis.start(0));
    }
}

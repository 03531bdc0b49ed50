package dev.braid.testing;

/** Injects the test JVM's one {@link EmbeddedRedis}, started on first use and stopped when the test run ends. */
public final class RedisExtension extends OncePerJvmExtension<EmbeddedRedis> {

    public RedisExtension() {
        super(EmbeddedRedis.class, RedisExtension::startShared);
    }

    /** The JVM's one server, for tests whose engine has no extensions (jqwik properties). */
    public static EmbeddedRedis shared() {
        return shared(EmbeddedRedis.class, RedisExtension::startShared);
    }

    private static EmbeddedRedis startShared() {
        return EmbeddedRedis.start(0);
    }
}

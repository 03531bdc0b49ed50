package dev.braid.testing;

/**
 * Injects the test JVM's one {@link EmbeddedOpenSearch}: started on first use (seconds), shared by every test class of
 * the run, stopped when the run ends.
 */
public final class OpenSearchExtension extends OncePerJvmExtension<EmbeddedOpenSearch> {

    public OpenSearchExtension() {
        super(EmbeddedOpenSearch.class, OpenSearchExtension::startShared);
    }

    /** The JVM's one server, for tests whose engine has no extensions (jqwik properties). */
    public static EmbeddedOpenSearch shared() {
        return shared(EmbeddedOpenSearch.class, OpenSearchExtension::startShared);
    }

    private static EmbeddedOpenSearch startShared() {
        return EmbeddedOpenSearch.start(0);
    }
}

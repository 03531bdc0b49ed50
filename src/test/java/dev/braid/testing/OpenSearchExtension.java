package dev.braid.testing;

/**
 * Injects the test JVM's one {@link EmbeddedOpenSearch}: started on first use (seconds), shared by every test class of
 * the run, stopped when the run ends.
 */
public final class OpenSearchExtension extends OncePerJvmExtension<EmbeddedOpenSearch> {

    public OpenSearchExtension() {
        super(EmbeddedOpenSearch.class, () -> EmbeddedOpenSearch.start(0));
    }
}

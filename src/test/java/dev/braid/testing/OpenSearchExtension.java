package dev.braid.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the test JVM's one {@link EmbeddedOpenSearch}: started on first use (seconds), shared by every test class of
 * the run, stopped when the run ends.
 */
public final class OpenSearchExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OpenSearchExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedOpenSearch.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return openSearch(context);
    }

    public static EmbeddedOpenSearch openSearch(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(EmbeddedOpenSearch.class, key -> EmbeddedOpenSearch.start(0), EmbeddedOpenSearch.class);
    }
}

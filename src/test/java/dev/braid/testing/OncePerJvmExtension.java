package dev.braid.testing;

import java.util.function.Supplier;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a server that is started on first use and shared by every test class of the JVM's run; JUnit closes it when
 * the run ends (values in the root store that are {@link AutoCloseable} are closed with it).
 */
abstract class OncePerJvmExtension<T extends AutoCloseable> implements ParameterResolver {
    private final Class<T> type;
    private final Supplier<T> starter;

    OncePerJvmExtension(Class<T> type, Supplier<T> starter) {
        this.type = type;
        this.starter = starter;
    }

    @Override
    public final boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == type;
    }

    @Override
    public final Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared(context, type, starter);
    }

    static <T extends AutoCloseable> T shared(ExtensionContext context, Class<T> type, Supplier<T> starter) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(OncePerJvmExtension.class, type))
                .getOrComputeIfAbsent(type, key -> starter.get(), type);
    }
}

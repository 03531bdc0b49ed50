package dev.braid.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a server that is started on first use and shared by every test of the JVM's run, whichever test engine runs
 * it (JUnit Jupiter, or jqwik for property tests); it is closed when the JVM exits.
 */
abstract class OncePerJvmExtension<T extends AutoCloseable> implements ParameterResolver {
    private static final Map<Class<?>, AutoCloseable> SHARED = new ConcurrentHashMap<>();

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
        return shared(type, starter);
    }

    /** The JVM's one {@code type}, started now if this is its first use. */
    static <T extends AutoCloseable> T shared(Class<T> type, Supplier<T> starter) {
        return type.cast(SHARED.computeIfAbsent(type, key -> {
            T server = starter.get();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception e) {
                    // the JVM is exiting: nothing is left to tell
                }
            }, "close-" + type.getSimpleName()));
            return server;
        }));
    }
}

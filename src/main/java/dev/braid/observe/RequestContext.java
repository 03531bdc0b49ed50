package dev.braid.observe;

import java.util.Optional;

/**
 * What every log line and every downstream call of one request needs to know. Bound for the whole request with a
 * {@link ScopedValue}, so the fan-out's subtasks (forked in a {@code StructuredTaskScope}) see it too.
 *
 * @param caller who is asking ({@code u:<user>} or {@code a:<client address>}): what rate limits and the guards' fair
 *               shares count by
 */
public record RequestContext(String requestId, TraceParent trace, String caller) {
    private static final ScopedValue<RequestContext> CURRENT = ScopedValue.newInstance();

    public static ScopedValue.Carrier bind(RequestContext context) {
        return ScopedValue.where(CURRENT, context);
    }

    public static Optional<RequestContext> current() {
        return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
    }

    /** The current caller, or {@code null} outside a request (start-up, background work). */
    public static String currentCaller() {
        return CURRENT.isBound() ? CURRENT.get().caller() : null;
    }

    /** The current request id, or {@code -} outside a request (start-up, background work). */
    public static String currentRequestId() {
        return CURRENT.isBound() ? CURRENT.get().requestId() : "-";
    }
}

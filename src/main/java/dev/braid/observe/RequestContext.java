package dev.braid.observe;

import java.util.Optional;

/**
 * What every log line and every downstream call of one request needs to know. Bound for the whole request with a
 * {@link ScopedValue}, so the fan-out's subtasks (forked in a {@code StructuredTaskScope}) see it too.
 *
 * @param caller who is asking ({@code u:<user>} or {@code a:<client address>}): what rate limits and the guards' fair
 *               shares count by
 * @param notes  what the handler says about the answer (outcome, cache, sources asked)
 */
public record RequestContext(String requestId, TraceParent trace, String caller, RequestNotes notes) {
    private static final ScopedValue<RequestContext> CURRENT = ScopedValue.newInstance();
    /** Notes taken outside any request: written, never read. */
    private static final RequestNotes NOWHERE = new RequestNotes(null);

    /** A context whose notes no one reads (background work, tests). */
    public RequestContext(String requestId, TraceParent trace, String caller) {
        this(requestId, trace, caller, new RequestNotes(null));
    }

    public static ScopedValue.Carrier bind(RequestContext context) {
        return ScopedValue.where(CURRENT, context);
    }

    /** Binds {@code context}, and {@code span} as the current span when it records (its children then hang under it). */
    public static ScopedValue.Carrier bind(RequestContext context, TraceSpan span) {
        ScopedValue.Carrier carrier = ScopedValue.where(CURRENT, context);
        return span != null && span.recording() ? carrier.where(Spans.CURRENT, span) : carrier;
    }

    public static Optional<RequestContext> current() {
        return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
    }

    /** The current caller, or {@code null} outside a request (start-up, background work). */
    public static String currentCaller() {
        return CURRENT.isBound() ? CURRENT.get().caller() : null;
    }

    /** The current request's notes; outside a request, notes no one reads. */
    public static RequestNotes currentNotes() {
        return CURRENT.isBound() ? CURRENT.get().notes() : NOWHERE;
    }

    /** The current trace id, or {@code -} outside a request. */
    public static String currentTraceId() {
        return CURRENT.isBound() ? CURRENT.get().trace().traceId() : "-";
    }

    /** The current request id, or {@code -} outside a request (start-up, background work). */
    public static String currentRequestId() {
        return CURRENT.isBound() ? CURRENT.get().requestId() : "-";
    }
}

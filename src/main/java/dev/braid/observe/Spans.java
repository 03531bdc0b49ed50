package dev.braid.observe;

import java.net.URI;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.semconv.DbAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.RpcAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;

/**
 * The spans of the work a request does, children of the span current on this thread: the request's server span, or a
 * source attempt's span. The current span is a {@link ScopedValue}, like the {@link RequestContext}, so the fan-out's
 * subtasks inherit it. Outside a recorded trace every method answers {@link TraceSpan#NONE} without allocating.
 *
 * <p>Names and attributes follow OpenTelemetry's semantic conventions where there are some (HTTP client spans, database
 * spans for Redis and OpenSearch, RPC spans for AWS calls); Braid's own attributes start with {@code braid.}.
 */
public final class Spans {
    static final ScopedValue<TraceSpan> CURRENT = ScopedValue.newInstance();

    private Spans() {
    }

    /** The current recording span, or {@link TraceSpan#NONE}. */
    public static TraceSpan current() {
        return CURRENT.isBound() ? CURRENT.get() : TraceSpan.NONE;
    }

    /** A span for a step of Braid's own (a source call, an attempt, a blend, a catalog lookup). */
    public static TraceSpan internal(String name) {
        return CURRENT.isBound() ? CURRENT.get().child(name, SpanKind.INTERNAL) : TraceSpan.NONE;
    }

    /** As {@link #internal(String)}, named {@code prefix + name}: the name is only made when the span records. */
    public static TraceSpan internal(String prefix, String name) {
        return CURRENT.isBound() ? CURRENT.get().child(prefix + name, SpanKind.INTERNAL) : TraceSpan.NONE;
    }

    /** An HTTP client span: {@code method} to {@code url}, named by the method as the conventions say. */
    public static TraceSpan httpClient(String method, URI url) {
        if (!CURRENT.isBound()) {
            return TraceSpan.NONE;
        }
        TraceSpan span = CURRENT.get().child(method, SpanKind.CLIENT);
        span.set(HttpAttributes.HTTP_REQUEST_METHOD, method);
        if (url != null) {
            span.set(UrlAttributes.URL_FULL, url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath());
            span.set(ServerAttributes.SERVER_ADDRESS, url.getHost());
            if (url.getPort() > 0) {
                span.set(ServerAttributes.SERVER_PORT, (long) url.getPort());
            }
        }
        return span;
    }

    /** A database client span ({@code redis}, {@code opensearch}), named {@code operation target} as the conventions say. */
    public static TraceSpan database(String system, String operation, String target) {
        if (!CURRENT.isBound()) {
            return TraceSpan.NONE;
        }
        TraceSpan span = CURRENT.get().child(target == null ? operation : operation + " " + target, SpanKind.CLIENT);
        span.set(DbAttributes.DB_SYSTEM_NAME, system);
        span.set(DbAttributes.DB_OPERATION_NAME, operation);
        if (target != null) {
            span.set(DbAttributes.DB_COLLECTION_NAME, target);
        }
        return span;
    }

    /** An RPC client span ({@code aws-api}), named {@code service/method} as the conventions say. */
    public static TraceSpan rpc(String system, String service, String method) {
        if (!CURRENT.isBound()) {
            return TraceSpan.NONE;
        }
        TraceSpan span = CURRENT.get().child(service + "/" + method, SpanKind.CLIENT);
        span.set(RpcAttributes.RPC_SYSTEM_NAME, system);
        span.set(RpcAttributes.RPC_METHOD, service + "/" + method);
        return span;
    }

    /**
     * The {@code traceparent} a downstream call made in {@code span} sends: the span itself when it is recorded, so the
     * downstream's spans hang under one Braid exported; else the request's own trace context (the caller's, when
     * tracing is off: Braid is then transparent); {@code null} outside a request.
     */
    public static String traceparent(TraceSpan span) {
        if (span.recording()) {
            return span.traceparent();
        }
        return RequestContext.current().map(context -> context.trace().header()).orElse(null);
    }

    /** The {@code tracestate} to send beside {@link #traceparent(TraceSpan)}, or {@code null}. */
    public static String tracestate(TraceSpan span) {
        if (span.recording()) {
            return span.tracestate();
        }
        return RequestContext.current().map(context -> context.trace().state()).orElse(null);
    }
}

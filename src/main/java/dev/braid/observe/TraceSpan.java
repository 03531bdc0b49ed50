package dev.braid.observe;

import java.util.function.Supplier;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;

/**
 * A span of Braid's, or {@link #NONE} when nothing records: every method of {@code NONE} does nothing, so code on the
 * request path writes its spans unconditionally and pays nothing when tracing is off or the trace is not sampled. Only
 * recording spans become the current span ({@link #run}), so children are only ever made of recorded parents.
 */
public final class TraceSpan {
    /** No span: tracing is off, the trace is not sampled, or the work is outside a request. */
    public static final TraceSpan NONE = new TraceSpan(null, null);

    private final Span span;
    private final Tracer tracer;

    TraceSpan(Span span, Tracer tracer) {
        this.span = span;
        this.tracer = tracer;
    }

    /** Whether this span is recorded (and exported): only then do attributes and children cost anything. */
    public boolean recording() {
        return span != null && span.isRecording();
    }

    public TraceSpan set(String key, String value) {
        if (span != null && value != null) {
            span.setAttribute(key, value);
        }
        return this;
    }

    public TraceSpan set(String key, long value) {
        if (span != null) {
            span.setAttribute(key, value);
        }
        return this;
    }

    public TraceSpan set(String key, boolean value) {
        if (span != null) {
            span.setAttribute(key, value);
        }
        return this;
    }

    /** The HTTP status a client span's call got; a 5xx (or, for a client, any 4xx) marks the span failed. */
    public TraceSpan httpStatus(int status, boolean client) {
        if (span != null) {
            span.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
            if (status >= 500 || (client && status >= 400)) {
                span.setAttribute(ErrorAttributes.ERROR_TYPE, Integer.toString(status));
                span.setStatus(StatusCode.ERROR);
            }
        }
        return this;
    }

    /** The work failed with {@code failure}: recorded as the span's exception and error type. */
    public TraceSpan failed(Throwable failure) {
        if (span != null) {
            span.recordException(failure);
            span.setAttribute(ErrorAttributes.ERROR_TYPE, failure.getClass().getName());
            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }
        return this;
    }

    /** The work ended as {@code outcome} (timeout, circuit_open, ...), which is a failure. */
    public TraceSpan failed(String outcome) {
        if (span != null) {
            span.setAttribute(ErrorAttributes.ERROR_TYPE, outcome);
            span.setStatus(StatusCode.ERROR, outcome);
        }
        return this;
    }

    public void end() {
        if (span != null) {
            span.end();
        }
    }

    /** Runs {@code work} with this span as the current one, so the spans it starts are this span's children. */
    public <T> T run(Supplier<T> work) {
        if (!recording()) {
            return work.get();
        }
        return ScopedValue.where(Spans.CURRENT, this).call(work::get);
    }

    /** The W3C {@code traceparent} naming this span as the parent, or {@code null} for {@link #NONE}. */
    public String traceparent() {
        if (span == null) {
            return null;
        }
        SpanContext context = span.getSpanContext();
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /** The W3C {@code tracestate} to send along, or {@code null} when empty. */
    public String tracestate() {
        if (span == null || span.getSpanContext().getTraceState().isEmpty()) {
            return null;
        }
        StringBuilder state = new StringBuilder();
        span.getSpanContext().getTraceState().forEach((key, value) -> {
            if (!state.isEmpty()) {
                state.append(',');
            }
            state.append(key).append('=').append(value);
        });
        return state.toString();
    }

    SpanContext context() {
        return span == null ? SpanContext.getInvalid() : span.getSpanContext();
    }

    /** A child of this span, or {@link #NONE} when this one is not recorded. */
    TraceSpan child(String name, SpanKind kind) {
        if (!recording()) {
            return NONE;
        }
        return new TraceSpan(tracer.spanBuilder(name).setParent(Context.root().with(span)).setSpanKind(kind).startSpan(),
                             tracer);
    }

    <T> TraceSpan set(AttributeKey<T> key, T value) {
        if (span != null && value != null) {
            span.setAttribute(key, value);
        }
        return this;
    }
}

package dev.braid.recommend.source.personalize;

import dev.braid.observe.Spans;
import dev.braid.observe.TraceParent;
import dev.braid.observe.TraceSpan;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * An AWS SDK call as a client span ({@code PersonalizeRuntime/GetRecommendations}, OpenTelemetry's RPC conventions),
 * and W3C {@code traceparent}/{@code tracestate} on its HTTP request naming that span, so the service's side of the
 * trace hangs under a span Braid exported. Added before signing, so the headers are signed with the rest. The sync
 * client runs the call on the caller's thread, which is where the request's current span is.
 */
final class TracingInterceptor implements ExecutionInterceptor {
    private static final ExecutionAttribute<TraceSpan> SPAN = new ExecutionAttribute<>("braid.span");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        TraceSpan span = Spans.rpc("aws-api", attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                                   attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        attributes.putAttribute(SPAN, span);
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        TraceSpan span = span(attributes);
        String traceparent = Spans.traceparent(span);
        if (traceparent == null) {
            return context.httpRequest();
        }
        span.set("server.address", context.httpRequest().host());
        SdkHttpRequest.Builder request = context.httpRequest().toBuilder()
                .putHeader(TraceParent.HEADER, traceparent);
        String tracestate = Spans.tracestate(span);
        if (tracestate != null) {
            request.putHeader(TraceParent.STATE_HEADER, tracestate);
        }
        return request.build();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        span(attributes).httpStatus(context.httpResponse().statusCode(), true).end();
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        span(attributes).failed(context.exception()).end();
    }

    private static TraceSpan span(ExecutionAttributes attributes) {
        TraceSpan span = attributes.getAttribute(SPAN);
        return span == null ? TraceSpan.NONE : span;
    }
}

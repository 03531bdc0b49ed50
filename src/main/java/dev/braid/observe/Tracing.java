package dev.braid.observe;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.semconv.ClientAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.ServiceAttributes;
import io.opentelemetry.semconv.UrlAttributes;

/**
 * One instance's tracer: the OpenTelemetry SDK exporting spans over OTLP/HTTP in batches, sampling the traces Braid
 * starts at a configured ratio and following the caller's decision for the traces it joins; or {@link #off()}. Each
 * request gets a server span ({@link #server}); the work under it makes its children through {@link Spans}.
 */
public final class Tracing implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Tracing.class.getName());
    private static final Tracing OFF = new Tracing(null, null);
    private static final String SCOPE = "dev.braid";
    /** Spans waiting for export; beyond, new ones are dropped (and counted by the SDK), never the request blocked. */
    private static final int QUEUE = 4096;

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;

    private Tracing(OpenTelemetrySdk sdk, Tracer tracer) {
        this.sdk = sdk;
        this.tracer = tracer;
    }

    /** No spans: requests keep (or start) a trace context for logs and downstreams, and nothing is exported. */
    public static Tracing off() {
        return OFF;
    }

    /**
     * Spans exported over OTLP/HTTP (protobuf) to {@code endpoint} (a collector's {@code /v1/traces}).
     *
     * @param sampleRatio the share of the traces Braid starts that it records; a caller's sampled flag wins
     */
    public static Tracing otlp(URI endpoint, double sampleRatio, String service, String version, String instance) {
        SpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint.toString())
                .setTimeout(Duration.ofSeconds(10))
                .build();
        return exportingTo(exporter, sampleRatio, service, version, instance, Duration.ofSeconds(1));
    }

    /** Spans exported to {@code exporter} in batches every {@code delay}: {@link #otlp}, and tests. */
    public static Tracing exportingTo(SpanExporter exporter, double sampleRatio, String service, String version,
                                      String instance, Duration delay) {
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                ServiceAttributes.SERVICE_NAME, service,
                ServiceAttributes.SERVICE_VERSION, version,
                io.opentelemetry.api.common.AttributeKey.stringKey("service.instance.id"), instance)));
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(sampleRatio)))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter)
                                          .setScheduleDelay(delay)
                                          .setMaxQueueSize(QUEUE)
                                          .setMaxExportBatchSize(512)
                                          .build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
        return new Tracing(sdk, sdk.getTracer(SCOPE, version));
    }

    public boolean enabled() {
        return tracer != null;
    }

    /**
     * Starts the server span of a request: a child of the caller's {@code traceparent}/{@code tracestate} when valid,
     * else the root of a new trace; sampled as the caller says, or at the configured ratio. {@code null} when off.
     *
     * @param route the route template, or {@code null} for a path no route serves
     */
    public TraceSpan server(String traceparent, String tracestate, String method, String route, String path,
                            String client) {
        if (tracer == null) {
            return null;
        }
        Map<String, String> headers = tracestate == null ? (traceparent == null ? Map.of()
                                                                                : Map.of(TraceParent.HEADER, traceparent))
                : traceparent == null ? Map.of() : Map.of(TraceParent.HEADER, traceparent,
                                                          TraceParent.STATE_HEADER, tracestate);
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, HEADERS);
        Span span = tracer.spanBuilder(route == null ? method : method + " " + route)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, method)
                .setAttribute(UrlAttributes.URL_PATH, path)
                .setAttribute(UrlAttributes.URL_SCHEME, "http")
                .setAttribute(ClientAttributes.CLIENT_ADDRESS, client)
                .startSpan();
        if (route != null) {
            span.setAttribute(HttpAttributes.HTTP_ROUTE, route);
        }
        return new TraceSpan(span, tracer);
    }

    /** The trace context a server span gives the request: its ids, sampled flag and trace state. */
    public static TraceParent contextOf(TraceSpan span) {
        SpanContext context = span.context();
        return new TraceParent(context.getTraceId(), context.getSpanId(), context.getTraceFlags().asHex(),
                               span.tracestate());
    }

    /** Exports what is queued, then stops. */
    @Override
    public void close() {
        if (sdk != null) {
            try {
                sdk.getSdkTracerProvider().shutdown().join(5, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "tracing did not shut down cleanly", e);
            }
        }
    }
}

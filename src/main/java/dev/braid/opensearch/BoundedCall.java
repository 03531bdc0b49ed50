package dev.braid.opensearch;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.braid.observe.Spans;
import dev.braid.observe.TraceParent;
import dev.braid.observe.TraceSpan;
import dev.braid.opensearch.OpenSearchFailure.Kind;

import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Options;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * One OpenSearch call that never outlives the time it was given.
 *
 * <p>The sync client of opensearch-java 3.8.0 waits on the transport's future without a limit, and neither interrupting
 * that wait nor cancelling the future aborts the HTTP exchange. So calls go through the async client, the caller waits
 * at most the limit, and the exchange itself carries a response and pool timeout of the same length, after which
 * httpclient5 closes the connection and returns its pool slot.
 */
public final class BoundedCall {
    private BoundedCall() {
    }

    /** A call to make with a client whose requests are bounded by the limit. */
    @FunctionalInterface
    public interface Call<T> {
        CompletableFuture<T> start(OpenSearchAsyncClient client) throws IOException;
    }

    /** The async twin of {@code client}, sharing its transport (and so its connection pool). */
    public static OpenSearchAsyncClient async(OpenSearchClient client) {
        return new OpenSearchAsyncClient(client._transport(), client._transportOptions());
    }

    /**
     * Runs {@code call} and waits at most {@code limit} for its answer.
     *
     * @throws OpenSearchFailure when it failed, timed out or the waiting thread was interrupted
     */
    public static <T> T run(OpenSearchAsyncClient client, Duration limit, Call<T> call) {
        return run(client, limit, "call", null, call);
    }

    /**
     * As {@link #run(OpenSearchAsyncClient, Duration, Call)}, traced: inside a traced request the call is a client span
     * named {@code operation target} ({@code mget catalog}) whose context the HTTP request carries.
     */
    public static <T> T run(OpenSearchAsyncClient client, Duration limit, String operation, String target, Call<T> call) {
        if (!limit.isPositive()) {
            throw new OpenSearchFailure(Kind.TIMEOUT, 0, "no time left for the call", null);
        }
        TraceSpan span = Spans.database("opensearch", operation, target);
        try {
            return exchange(client, limit, call, span);
        } catch (OpenSearchFailure e) {
            span.failed(e.kind().name().toLowerCase(java.util.Locale.ROOT));
            throw e;
        } finally {
            span.end();
        }
    }

    private static <T> T exchange(OpenSearchAsyncClient client, Duration limit, Call<T> call, TraceSpan span) {
        CompletableFuture<T> future;
        try {
            future = call.start(client.withTransportOptions(limitedTo(limit, span)));
        } catch (IOException | RuntimeException e) {
            throw classify(e);
        }
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new OpenSearchFailure(Kind.TIMEOUT, 0, "no answer within " + limit.toMillis() + "ms", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new OpenSearchFailure(Kind.TIMEOUT, 0, "call abandoned, the request was cancelled", e);
        } catch (CancellationException e) {
            throw new OpenSearchFailure(Kind.TIMEOUT, 0, "call cancelled", e);
        } catch (ExecutionException e) {
            throw classify(e.getCause() == null ? e : e.getCause());
        }
    }

    /** Sorts a failure into what a retry may fix (network, 5xx, 429) and what it will not (other 4xx, bad bodies). */
    public static OpenSearchFailure classify(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof OpenSearchFailure failure) {
                return failure;
            }
            if (cause instanceof OpenSearchException error) {
                return byStatus(error.status(), describe(error), error);
            }
            if (cause instanceof ResponseException error) {
                // OpenSearch sends no Retry-After, and the response holding headers is not public in opensearch-java 3.8.0.
                return byStatus(error.status(), describe(error), error);
            }
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                // The response timeout or the pool wait, both set to the call's limit: the call ran out of time.
                return new OpenSearchFailure(Kind.TIMEOUT, 0, "timed out: " + describe(cause), e);
            }
            if (cause instanceof ConnectException || cause instanceof SocketException
                || cause instanceof ConnectionClosedException) {
                return new OpenSearchFailure(Kind.TRANSIENT, 0, "unreachable: " + describe(cause), e);
            }
        }
        return new OpenSearchFailure(Kind.ERROR, 0, "failed: " + describe(e), e);
    }

    private static OpenSearchFailure byStatus(int status, String message, Throwable cause) {
        if (status == 429) {
            return new OpenSearchFailure(Kind.THROTTLED, status, "throttled: " + message, cause);
        }
        if (status >= 500) {
            return new OpenSearchFailure(Kind.TRANSIENT, status, "answered " + status + ": " + message, cause);
        }
        return new OpenSearchFailure(Kind.REJECTED, status, "rejected the request (" + status + "): " + message, cause);
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The request options that bound one exchange: its response timeout and its wait for a pooled connection. */
    public static ApacheHttpClient5Options limitedTo(Duration limit) {
        return limitedTo(limit, TraceSpan.NONE);
    }

    /** As {@link #limitedTo(Duration)}, and the W3C trace context of {@code span} (or of the request) as headers. */
    static ApacheHttpClient5Options limitedTo(Duration limit, TraceSpan span) {
        Timeout timeout = Timeout.of(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
        ApacheHttpClient5Options.Builder options = ApacheHttpClient5Options.DEFAULT.toBuilder()
                .setRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).setConnectionRequestTimeout(timeout)
                                          .build());
        String traceparent = Spans.traceparent(span);
        if (traceparent != null) {
            options.addHeader(TraceParent.HEADER, traceparent);
            String tracestate = Spans.tracestate(span);
            if (tracestate != null) {
                options.addHeader(TraceParent.STATE_HEADER, tracestate);
            }
        }
        return options.build();
    }

    /** OpenSearch's own time limit for a search, as its {@code timeout} parameter wants it. */
    public static String millis(Duration limit) {
        return Math.max(1, limit.toMillis()) + "ms";
    }
}

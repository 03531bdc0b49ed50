package dev.braid.observe;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Timer;

/**
 * The request meters of one route of the API port, looked up without allocating: one histogram per method and status
 * class, one counter per answer outcome, each created on first use (or up front by {@link BraidMeters#route}). Methods
 * outside HTTP's registered ones count as {@code _OTHER}, as OpenTelemetry's conventions say, so no label value comes
 * from the request itself.
 */
public final class RouteMeters {
    /** The methods {@code http_request_method} takes, {@code _OTHER} last. */
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
                                             "CONNECT", "_OTHER"};
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final String route;
    private final String endpoint;
    private final BraidMeters meters;
    private final AtomicReferenceArray<Timer> durations = new AtomicReferenceArray<>(METHODS.length * STATUS_CLASSES.length);
    private final AtomicReferenceArray<Counter> answers = new AtomicReferenceArray<>(AnswerOutcome.values().length);

    RouteMeters(String route, String endpoint, BraidMeters meters) {
        this.route = route;
        this.endpoint = endpoint;
        this.meters = meters;
    }

    public String route() {
        return route;
    }

    public String endpoint() {
        return endpoint;
    }

    /** Records one answered request. */
    public void served(String method, int status, AnswerOutcome outcome, long nanos) {
        duration(methodIndex(method), Math.clamp(status / 100, 1, 5)).record(nanos, TimeUnit.NANOSECONDS);
        answers(outcome).increment();
    }

    Timer duration(int method, int statusClass) {
        int index = method * STATUS_CLASSES.length + statusClass - 1;
        Timer timer = durations.get(index);
        if (timer == null) {
            timer = meters.requestDuration(route, METHODS[method], STATUS_CLASSES[statusClass - 1]);
            durations.set(index, timer);
        }
        return timer;
    }

    Counter answers(AnswerOutcome outcome) {
        Counter counter = answers.get(outcome.ordinal());
        if (counter == null) {
            counter = meters.answers(endpoint, outcome);
            answers.set(outcome.ordinal(), counter);
        }
        return counter;
    }

    static int methodIndex(String method) {
        for (int i = 0; i < METHODS.length - 1; i++) {
            if (METHODS[i].equals(method)) {
                return i;
            }
        }
        return METHODS.length - 1;
    }
}

package dev.braid.http;

import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import dev.braid.observe.AnswerOutcome;
import dev.braid.observe.BraidMeters;
import dev.braid.observe.RequestContext;
import dev.braid.observe.RequestEvent;
import dev.braid.observe.RequestNotes;
import dev.braid.observe.RouteMeters;
import dev.braid.observe.TraceParent;
import dev.braid.observe.TraceSpan;
import dev.braid.observe.Tracing;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;

/**
 * The outermost filter of both ports. Gives every request an id (the caller's {@code X-Request-Id} when it is sane, else
 * a new one) and echoes it, joins the caller's W3C trace, names the caller (the {@code user} the request names when it
 * is a valid one, else the client address), and binds all of it for the rest of the request so that logs, limits and
 * downstream calls carry them. On the API port it also observes each exchange as it ends, after the problem mapping
 * inside it has set the final status: the server span, the request's meters ({@code http_server_request_duration_seconds},
 * {@code braid_answers_total}) and its {@code braid.Request} flight-recorder event.
 */
public final class RequestContextFilter implements Filter {
    public static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final HeaderName TRACEPARENT = HeaderNames.create(TraceParent.HEADER);
    private static final HeaderName TRACESTATE = HeaderNames.create(TraceParent.STATE_HEADER);
    /** Ids go into logs and downstream headers: printable, bounded, no separators that could forge a log line. */
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    private final ClientAddresses addresses;
    private final Map<Endpoint, RouteMeters> meters;
    private final Tracing tracing;

    private RequestContextFilter(ClientAddresses addresses, Map<Endpoint, RouteMeters> meters, Tracing tracing) {
        this.addresses = addresses;
        this.meters = meters;
        this.tracing = tracing;
    }

    /** The API port's: every request measured, recorded and traced. */
    public static RequestContextFilter api(ClientAddresses addresses, BraidMeters meters,
                                           Tracing tracing) {
        return new RequestContextFilter(addresses, Endpoint.meters(meters), tracing);
    }

    /** The admin port's: ids and the caller only (probes and scrapes are not the service's requests). */
    public static RequestContextFilter admin(ClientAddresses addresses) {
        return new RequestContextFilter(addresses, null, Tracing.off());
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long started = System.nanoTime();
        String requestId = req.headers().first(REQUEST_ID)
                .filter(id -> SANE_ID.matcher(id).matches())
                .orElseGet(RequestContextFilter::newId);
        res.header(REQUEST_ID, requestId);
        if (meters == null) {
            RequestContext context = new RequestContext(requestId, incomingTrace(req), caller(req));
            req.context().register(context);
            RequestContext.bind(context).run(chain::proceed);
            return;
        }
        RequestEvent event = new RequestEvent();
        event.begin();
        Endpoint endpoint = Endpoint.of(req.path().path());
        String method = req.prologue().method().text();
        String caller = caller(req);
        TraceSpan span = tracing.server(req.headers().first(TRACEPARENT).orElse(null),
                                        req.headers().first(TRACESTATE).orElse(null), method,
                                        endpoint == Endpoint.OTHER ? null : endpoint.route(), req.path().path(),
                                        addresses.of(req));
        TraceParent trace = span == null ? incomingTrace(req) : Tracing.contextOf(span);
        RequestNotes notes = new RequestNotes(event);
        RequestContext context = new RequestContext(requestId, trace, caller, notes);
        req.context().register(context);
        try {
            RequestContext.bind(context, span).run(chain::proceed);
        } finally {
            int status = res.status().code();
            AnswerOutcome outcome = notes.outcome() != null && status < 400 ? notes.outcome()
                    : notes.outcome() == AnswerOutcome.SHED ? AnswerOutcome.SHED : AnswerOutcome.ofStatus(status);
            meters.get(endpoint).served(method, status, outcome, System.nanoTime() - started);
            if (span != null) {
                span.httpStatus(status, false)
                        .set("braid.request_id", requestId)
                        .set("braid.outcome", outcome.wireName())
                        .set("braid.cache", notes.cache())
                        .set("braid.surface", notes.surface())
                        .end();
            }
            if (event.shouldCommit()) {
                event.requestId = requestId;
                event.traceId = trace.traceId();
                event.method = method;
                event.route = endpoint.route();
                event.status = status;
                event.outcome = outcome.wireName();
                event.cache = notes.cache();
                event.surface = notes.surface();
                event.sourcesAsked = notes.sourcesAsked();
                event.commit();
            }
        }
    }

    private static TraceParent incomingTrace(RoutingRequest req) {
        return TraceParent.parse(req.headers().first(TRACEPARENT).orElse(null),
                                 req.headers().first(TRACESTATE).orElse(null))
                .orElseGet(TraceParent::startTrace);
    }

    /** {@code u:<user>} for a request naming a valid user, else {@code a:<client address>}. */
    private String caller(RoutingRequest req) {
        return user(req).map(user -> "u:" + user).orElseGet(() -> "a:" + addresses.of(req));
    }

    private static Optional<String> user(RoutingRequest req) {
        try {
            return req.query().first("user").asOptional()
                    .filter(user -> RecommendationsService.USER.matcher(user).matches());
        } catch (RuntimeException malformed) {
            // A malformed user is the handler's 400 to give; until then the request counts by its address.
            return Optional.empty();
        }
    }

    /** The context of a request, also outside the filter's scope (error handlers run after it). */
    static Optional<RequestContext> context(ServerRequest req) {
        return req.context().get(RequestContext.class);
    }

    static String requestId(ServerRequest req) {
        return context(req).map(RequestContext::requestId).orElse(null);
    }

    /** The notes of a request, for its handler to describe its answer. */
    static RequestNotes notes(ServerRequest req) {
        return context(req).map(RequestContext::notes).orElseGet(() -> new RequestNotes(null));
    }

    private static String newId() {
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}

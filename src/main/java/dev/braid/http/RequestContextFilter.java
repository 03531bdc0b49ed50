package dev.braid.http;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import dev.braid.observe.RequestContext;
import dev.braid.observe.TraceParent;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it is sane, else a new one), echoes it, joins the
 * caller's W3C trace, names the caller (the {@code user} the request names when it is a valid one, else the client
 * address), and binds all three for the rest of the request so that logs, limits and downstream calls carry them.
 */
public final class RequestContextFilter implements Filter {
    public static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final HeaderName TRACEPARENT = HeaderNames.create(TraceParent.HEADER);
    /** Ids go into logs and downstream headers: printable, bounded, no separators that could forge a log line. */
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    private final ClientAddresses addresses;

    public RequestContextFilter(ClientAddresses addresses) {
        this.addresses = addresses;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String requestId = req.headers().first(REQUEST_ID)
                .filter(id -> SANE_ID.matcher(id).matches())
                .orElseGet(RequestContextFilter::newId);
        TraceParent trace = TraceParent.parse(req.headers().first(TRACEPARENT).orElse(null))
                .orElseGet(TraceParent::startTrace);
        RequestContext context = new RequestContext(requestId, trace, caller(req));
        req.context().register(context);
        res.header(REQUEST_ID, requestId);
        RequestContext.bind(context).run(chain::proceed);
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

    private static String newId() {
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}

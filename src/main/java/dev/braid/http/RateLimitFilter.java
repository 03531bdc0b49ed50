package dev.braid.http;

import dev.braid.observe.RequestContext;
import dev.braid.ratelimit.RateDecision;
import dev.braid.ratelimit.RateLimiter;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Inbound rate limits per caller and endpoint class; the caller is the request context's ({@link RequestContextFilter}:
 * the {@code user} the request names, else the client address). Every answer of a limited endpoint carries {@code RateLimit-Policy} and
 * {@code RateLimit} (IETF httpapi RateLimit header fields); a request over the limit is a 429 problem whose
 * {@code Retry-After} equals the {@code t} of its {@code RateLimit}.
 */
public final class RateLimitFilter implements Filter {
    static final HeaderName POLICY = HeaderNames.create("RateLimit-Policy");
    static final HeaderName RATE_LIMIT = HeaderNames.create("RateLimit");

    private final RateLimiter limiter;

    public RateLimitFilter(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String endpointClass = endpointClass(req.path().path());
        if (endpointClass == null) {
            chain.proceed();
            return;
        }
        RateDecision decision = limiter.decide(endpointClass, RequestContext.currentCaller());
        res.header(POLICY, "\"" + endpointClass + "\";q=" + decision.quota() + ";w=" + decision.window());
        res.header(RATE_LIMIT, "\"" + endpointClass + "\";r=" + decision.remaining() + ";t=" + decision.resetAfter());
        if (decision.allowed()) {
            chain.proceed();
            return;
        }
        res.header(HeaderNames.RETRY_AFTER, String.valueOf(decision.resetAfter()));
        String requestId = RequestContextFilter.requestId(req);
        ProblemResponses.send(req, res, Problem.of(
                429, "rate-limited", "Too many requests",
                endpointClass + ": at most " + decision.quota() + " requests per " + decision.window()
                + " s for this caller; retry after " + decision.resetAfter() + " s", requestId), requestId);
    }

    /**
     * The class of a public API path, or {@code null} for paths that are not limited: {@code /openapi} among them, a
     * static document answered from memory that costs less than the count would.
     */
    static String endpointClass(String path) {
        if (path.startsWith("/v1/recommendations")) {
            return "recommendations";
        }
        if (path.startsWith("/v1/search") || path.startsWith("/v1/feed")) {
            return "search";
        }
        if (path.startsWith("/v1/items")) {
            return "items";
        }
        if (path.startsWith("/v1/events")) {
            return "events";
        }
        return null;
    }
}

package dev.braid.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Guards {@code /admin/*} on the admin port with {@code Authorization: Bearer <token>}. Observe endpoints (health,
 * metrics) stay open: probes and scrapers carry no token. An empty configured token disables every admin action.
 */
public final class AdminAuthFilter implements Filter {
    private final byte[] token;

    public AdminAuthFilter(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!(path.equals("/admin") || path.startsWith("/admin/")) || authorized(req)) {
            chain.proceed();
            return;
        }
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"braid-admin\"");
        String requestId = RequestContextFilter.requestId(req);
        ProblemResponses.send(req, res, Problem.of(401, "unauthorized", "Unauthorized",
                                              token.length == 0 ? "admin actions are disabled: server.admin-token is empty"
                                                                : "admin actions need Authorization: Bearer <admin token>",
                                              requestId), requestId);
    }

    private boolean authorized(RoutingRequest req) {
        if (token.length == 0) {
            return false;
        }
        return req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> MessageDigest.isEqual(value.substring(7).trim().getBytes(StandardCharsets.UTF_8), token))
                .orElse(false);
    }
}

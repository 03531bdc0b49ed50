package dev.braid.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The outermost filter of both ports: maps every failure to its problem answer here, so that what follows the answer
 * is decided here too. After an answer the connection closes when the request asked for it ({@code Connection: close})
 * or the answer says so, and a failure after the answer went out closes it rather than writing a second one. A body no
 * handler read is drained by Helidon, at most the port's payload limit and within the idle deadline.
 */
public final class ExchangeFilter implements Filter {
    private final ProblemResponses problems;

    public ExchangeFilter(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        try {
            chain.proceed();
        } catch (CloseConnectionException e) {
            throw e;
        } catch (RuntimeException e) {
            if (res.isSent() || !res.resetStream()) {
                throw new CloseConnectionException("failed after its answer was sent", e);
            }
            problems.handle(req, res, e);
        }
        if (req.headers().containsToken(HeaderValues.CONNECTION_CLOSE)
            || res.headers().containsToken(HeaderValues.CONNECTION_CLOSE)) {
            // Helidon writes "Connection: close" but would go on reading requests from the socket.
            throw new CloseConnectionException("the answer closes the connection");
        }
    }
}

package dev.braid.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;

/**
 * Registers routes with the method rules every endpoint keeps: a GET route answers HEAD with the same headers and no
 * body, and any other method on the path is 405 with {@code Allow} (OPTIONS included, unless configured CORS approved
 * it as a preflight: without CORS there is nothing to negotiate).
 */
final class Routes {
    private static final String READ = "GET, HEAD";
    private static final String WRITE = "POST";

    private Routes() {
    }

    static void get(HttpRules rules, String path, Handler handler) {
        rules.get(path, handler).head(path, handler).any(path, notAllowed(READ));
    }

    static void post(HttpRules rules, String path, Handler handler) {
        rules.post(path, handler).any(path, notAllowed(WRITE));
    }

    private static Handler notAllowed(String allow) {
        return (req, res) -> {
            if (req.prologue().method() == Method.OPTIONS
                && res.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)) {
                // A preflight the configured CORS has already approved (and written its headers for): that is its answer.
                res.status(Status.OK_200).send();
                return;
            }
            throw new MethodNotAllowedProblem(req.prologue().method().text(), allow);
        };
    }
}

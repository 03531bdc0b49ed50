package dev.braid.http;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.helidon.http.Method;
import io.helidon.http.PathMatcher;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpSecurity;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;

/**
 * The routes a routing function registers, read back by handing it this builder in place of Helidon's: Helidon's
 * routing keeps its routes to itself. Services registered under a path are asked for their rules with the path as
 * prefix, as Helidon does. A route this builder cannot read (a bare {@link HttpRoute}, a path matcher, a method
 * predicate) fails the recording rather than slipping past it.
 */
final class RecordedRoutes implements HttpRouting.Builder {
    /** The method recorded for {@code any(...)}: the route's fallback for every method it does not answer. */
    static final String ANY = "*";

    private final String prefix;
    private final Set<String> routes;

    private RecordedRoutes(String prefix, Set<String> routes) {
        this.prefix = prefix;
        this.routes = routes;
    }

    /** What {@code routing} registers, as {@code "METHOD /path"} ({@code "* /path"} for a fallback), sorted. */
    static Set<String> of(Consumer<HttpRouting.Builder> routing) {
        Set<String> routes = new TreeSet<>();
        routing.accept(new RecordedRoutes("", routes));
        return routes;
    }

    private HttpRouting.Builder record(String method, String path) {
        routes.add(method + " " + join(prefix, path));
        return this;
    }

    private static String join(String prefix, String path) {
        String joined = path.isEmpty() || path.equals("/") ? prefix : prefix + (path.startsWith("/") ? path : "/" + path);
        return joined.isEmpty() ? "/" : joined;
    }

    private static UnsupportedOperationException unreadable(String what) {
        return new UnsupportedOperationException(what + " cannot be read back; register routes by method and path "
                                                 + "(Routes.get, Routes.post) so that the OpenAPI test sees them");
    }

    @Override
    public HttpRouting.Builder register(HttpService... services) {
        for (HttpService service : services) {
            service.routing(this);
        }
        return this;
    }

    @Override
    public HttpRouting.Builder register(String path, HttpService... services) {
        RecordedRoutes under = new RecordedRoutes(join(prefix, path), routes);
        for (HttpService service : services) {
            service.routing(under);
        }
        return this;
    }

    @Override
    public HttpRouting.Builder route(HttpRoute route) {
        throw unreadable("an HttpRoute");
    }

    @Override
    public HttpRouting.Builder route(Method method, String path, Handler handler) {
        return record(method.text(), path);
    }

    @Override
    public HttpRouting.Builder route(Method method, Handler handler) {
        return record(method.text(), "");
    }

    @Override
    public HttpRouting.Builder route(Method method, PathMatcher pathMatcher, Handler handler) {
        throw unreadable("a route with a PathMatcher");
    }

    @Override
    public HttpRouting.Builder route(Predicate<Method> methods, PathMatcher pathMatcher, Handler handler) {
        throw unreadable("a route with a method predicate");
    }

    @Override
    public HttpRouting.Builder route(Method method, String path, Consumer<ServerRequest> handler) {
        return record(method.text(), path);
    }

    @Override
    public HttpRouting.Builder route(Method method, String path, Function<ServerRequest, ?> handler) {
        return record(method.text(), path);
    }

    @Override
    public HttpRouting.Builder route(Method method, String path, Supplier<?> handler) {
        return record(method.text(), path);
    }

    @Override
    public HttpRouting.Builder get(String path, Handler... handlers) {
        return record(Method.GET.text(), path);
    }

    @Override
    public HttpRouting.Builder get(Handler... handlers) {
        return record(Method.GET.text(), "");
    }

    @Override
    public HttpRouting.Builder post(String path, Handler... handlers) {
        return record(Method.POST.text(), path);
    }

    @Override
    public HttpRouting.Builder post(Handler... handlers) {
        return record(Method.POST.text(), "");
    }

    @Override
    public HttpRouting.Builder put(String path, Handler... handlers) {
        return record(Method.PUT.text(), path);
    }

    @Override
    public HttpRouting.Builder put(Handler... handlers) {
        return record(Method.PUT.text(), "");
    }

    @Override
    public HttpRouting.Builder delete(String path, Handler... handlers) {
        return record(Method.DELETE.text(), path);
    }

    @Override
    public HttpRouting.Builder delete(Handler... handlers) {
        return record(Method.DELETE.text(), "");
    }

    @Override
    public HttpRouting.Builder head(String path, Handler... handlers) {
        return record(Method.HEAD.text(), path);
    }

    @Override
    public HttpRouting.Builder head(Handler... handlers) {
        return record(Method.HEAD.text(), "");
    }

    @Override
    public HttpRouting.Builder options(String path, Handler... handlers) {
        return record(Method.OPTIONS.text(), path);
    }

    @Override
    public HttpRouting.Builder options(Handler... handlers) {
        return record(Method.OPTIONS.text(), "");
    }

    @Override
    public HttpRouting.Builder trace(String path, Handler... handlers) {
        return record(Method.TRACE.text(), path);
    }

    @Override
    public HttpRouting.Builder trace(Handler... handlers) {
        return record(Method.TRACE.text(), "");
    }

    @Override
    public HttpRouting.Builder patch(String path, Handler... handlers) {
        return record(Method.PATCH.text(), path);
    }

    @Override
    public HttpRouting.Builder patch(Handler... handlers) {
        return record(Method.PATCH.text(), "");
    }

    @Override
    public HttpRouting.Builder any(String path, Handler... handlers) {
        return record(ANY, path);
    }

    @Override
    public HttpRouting.Builder any(Handler... handlers) {
        return record(ANY, "");
    }

    @Override
    public HttpRouting.Builder addFilter(Filter filter) {
        return this;
    }

    @Override
    public HttpRouting.Builder addFeature(Supplier<? extends HttpFeature> feature) {
        // A feature adds routes of its own when it is set up: none of the API port's may, unseen.
        throw unreadable("an HttpFeature's routes");
    }

    @Override
    public <T extends Throwable> HttpRouting.Builder error(Class<T> exceptionClass, ErrorHandler<? super T> handler) {
        return this;
    }

    @Override
    public HttpRouting.Builder maxReRouteCount(int maxReRouteCount) {
        return this;
    }

    @Override
    public HttpRouting.Builder security(HttpSecurity security) {
        return this;
    }

    @Override
    public HttpRouting.Builder copy() {
        throw new UnsupportedOperationException("a recording is not copied");
    }

    @Override
    public HttpRouting build() {
        throw new UnsupportedOperationException("a recording builds no routing");
    }
}

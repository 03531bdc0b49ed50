package dev.braid.http;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.braid.observe.AnswerOutcome;
import dev.braid.observe.BraidMeters;
import dev.braid.observe.RouteMeters;

import static dev.braid.observe.AnswerOutcome.CACHED;
import static dev.braid.observe.AnswerOutcome.CLIENT_ERROR;
import static dev.braid.observe.AnswerOutcome.COLD_START;
import static dev.braid.observe.AnswerOutcome.COMPLETE;
import static dev.braid.observe.AnswerOutcome.DEFAULT_RANKING;
import static dev.braid.observe.AnswerOutcome.ERROR;
import static dev.braid.observe.AnswerOutcome.PARTIAL;
import static dev.braid.observe.AnswerOutcome.RATE_LIMITED;
import static dev.braid.observe.AnswerOutcome.SHED;
import static dev.braid.observe.AnswerOutcome.SIMPLIFIED;
import static dev.braid.observe.AnswerOutcome.STALE;

/**
 * The routes of the public API as metrics, traces and recordings name them: the route template (OpenTelemetry's
 * {@code http.route}) and a short endpoint name. A path no route serves is {@link #OTHER}, so no label value ever comes
 * from the request (OpenApiRoutesTest keeps this list and the OpenAPI document's paths equal).
 */
enum Endpoint {
    RECOMMENDATIONS("/v1/recommendations", "recommendations", "GET",
                    List.of(COMPLETE, PARTIAL, COLD_START, STALE, DEFAULT_RANKING, RATE_LIMITED, SHED, CLIENT_ERROR, ERROR)),
    SEARCH("/v1/search", "search", "GET", List.of(COMPLETE, SIMPLIFIED, CACHED, RATE_LIMITED, SHED, CLIENT_ERROR, ERROR)),
    FEED("/v1/feed", "feed", "GET", List.of(COMPLETE, SIMPLIFIED, CACHED, RATE_LIMITED, SHED, CLIENT_ERROR, ERROR)),
    ITEMS("/v1/items/{item_id}", "items", "GET", List.of(COMPLETE, RATE_LIMITED, SHED, CLIENT_ERROR, ERROR)),
    EVENTS("/v1/events", "events", "POST", List.of(COMPLETE, RATE_LIMITED, SHED, CLIENT_ERROR, ERROR)),
    OPENAPI("/openapi", "openapi", "GET", List.of(COMPLETE, SHED, CLIENT_ERROR, ERROR)),
    OTHER("other", "other", null, List.of(CLIENT_ERROR));

    private static final String ITEMS_PREFIX = "/v1/items/";

    private final String route;
    private final String endpoint;
    private final String method;
    private final List<AnswerOutcome> outcomes;

    Endpoint(String route, String endpoint, String method, List<AnswerOutcome> outcomes) {
        this.route = route;
        this.endpoint = endpoint;
        this.method = method;
        this.outcomes = outcomes;
    }

    String route() {
        return route;
    }

    /** The endpoint a request path reaches, {@link #OTHER} when none does. */
    static Endpoint of(String path) {
        return switch (path) {
            case "/v1/recommendations", "/v1/recommendations/" -> RECOMMENDATIONS;
            case "/v1/search", "/v1/search/" -> SEARCH;
            case "/v1/feed", "/v1/feed/" -> FEED;
            case "/v1/events", "/v1/events/" -> EVENTS;
            case "/openapi", "/openapi/" -> OPENAPI;
            default -> path.startsWith(ITEMS_PREFIX) && path.length() > ITEMS_PREFIX.length()
                       && path.indexOf('/', ITEMS_PREFIX.length()) < 0 ? ITEMS : OTHER;
        };
    }

    /**
     * Every endpoint's request meters; the series of its method and its possible outcomes exist from the start, so a
     * dashboard shows zeros, not gaps.
     */
    static Map<Endpoint, RouteMeters> meters(BraidMeters meters) {
        Map<Endpoint, RouteMeters> all = new EnumMap<>(Endpoint.class);
        for (Endpoint endpoint : values()) {
            all.put(endpoint, meters.route(endpoint.route, endpoint.endpoint,
                                           endpoint.method == null ? List.of() : List.of(endpoint.method),
                                           endpoint.outcomes));
        }
        return all;
    }
}

package dev.braid.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One request of the API port, from the first filter to the last byte handed to the connection: its duration is the
 * request's total time, and its {@code requestId} finds the fan-out, downstream calls, cache lookups, blend and search
 * events it caused.
 */
@Name("braid.Request")
@Label("Braid request")
@Category({"Braid", "HTTP"})
@Description("A request of the public API, with its route, status, outcome and where its answer came from")
@StackTrace(false)
public class RequestEvent extends Event {
    @Label("Request id")
    public String requestId;

    @Label("Trace id")
    @Description("The W3C trace id, as in logs and spans")
    public String traceId;

    @Label("Method")
    public String method;

    @Label("Route")
    @Description("The route template, e.g. /v1/items/{item_id}; other for paths no route serves")
    public String route;

    @Label("Status")
    public int status;

    @Label("Outcome")
    @Description("complete, partial, cold_start, stale, default_ranking, simplified, cached, rate_limited, shed, "
                 + "client_error, error")
    public String outcome;

    @Label("Cache")
    @Description("Where a recommendation list came from: hit-l1, hit-l2, stale, miss")
    public String cache;

    @Label("Surface")
    public String surface;

    @Label("Sources asked")
    @Description("source=status pairs of the sources a recommendation asked, e.g. trending=ok,databricks=timeout")
    public String sourcesAsked;
}

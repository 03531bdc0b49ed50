package dev.braid.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One attempt at one downstream call, with its outcome. */
@Name("braid.DownstreamCall")
@Label("Braid downstream call")
@Category({"Braid", "Downstreams"})
@Description("A call to a candidate source or another downstream")
@StackTrace(false)
public class DownstreamCallEvent extends Event {
    @Label("Request id")
    public String requestId;

    @Label("Source")
    public String source;

    @Label("Attempt")
    public int attempt;

    @Label("Outcome")
    @Description("ok, timeout, error, circuit_open, rate_limited, rejected")
    public String outcome;

    @Label("Breaker state")
    public String breakerState;
}

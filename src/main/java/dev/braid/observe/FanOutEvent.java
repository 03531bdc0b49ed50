package dev.braid.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** One recommendation fan-out: which sources ran, how each ended, and how close it came to the deadline. */
@Name("braid.FanOut")
@Label("Braid fan-out")
@Category({"Braid", "Recommendations"})
@Description("Candidate sources called in parallel under one request deadline")
@StackTrace(false)
public class FanOutEvent extends Event {
    @Label("Request id")
    public String requestId;

    @Label("Surface")
    public String surface;

    @Label("Budget")
    @Timespan(Timespan.MILLISECONDS)
    public long budgetMillis;

    @Label("Sources")
    public String sources;

    @Label("Outcomes")
    @Description("source=status pairs, e.g. trending=ok,personalize=timeout")
    public String outcomes;

    @Label("Deadline hit")
    public boolean deadlineHit;
}

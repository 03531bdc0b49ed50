package dev.braid.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One cache lookup, from the first tier asked to the answer, with where the answer came from. */
@Name("braid.CacheLookup")
@Label("Braid cache lookup")
@Category({"Braid", "Cache"})
@Description("A lookup in the two-tier cache: memory, the shared tier, the origin")
@StackTrace(false)
public class CacheLookupEvent extends Event {
    @Label("Request id")
    public String requestId;

    @Label("Cache")
    public String cache;

    @Label("Outcome")
    @Description("hit-l1, hit-l2, stale, miss")
    public String outcome;

    @Label("Origin failed")
    public boolean originFailed;
}

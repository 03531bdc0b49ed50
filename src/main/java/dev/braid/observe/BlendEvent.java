package dev.braid.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One blend: the sources' candidates merged, hydrated, filtered, re-ranked, diversified into a list. */
@Name("braid.Blend")
@Label("Braid blend")
@Category({"Braid", "Recommendations"})
@Description("Merging the sources' candidates into one list: merge, catalog lookup, business rules, re-ranking, MMR")
@StackTrace(false)
public class BlendEvent extends Event {
    @Label("Request id")
    public String requestId;

    @Label("Surface")
    public String surface;

    @Label("Contributions")
    @Description("Candidate lists blended (sources that answered, plus popular items for lists without personal signal)")
    public int contributions;

    @Label("Candidates")
    @Description("Distinct candidates after merging")
    public int candidates;

    @Label("Pool")
    @Description("Candidates looked up in the catalog and considered")
    public int pool;

    @Label("Dropped")
    @Description("Candidates the business rules removed")
    public int dropped;

    @Label("Hydrated")
    @Description("Whether the catalog answered the lookup in time")
    public boolean hydrated;

    @Label("Re-ranked")
    public boolean reranked;

    @Label("Items")
    @Description("Items in the finished list")
    public int items;
}

package dev.braid.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One search or feed page, through its tiers. */
@Name("braid.Search")
@Label("Braid search")
@Category({"Braid", "Search"})
@Description("A search or feed page: which tier answered, after how many tries")
@StackTrace(false)
public class SearchEvent extends Event {
    @Label("Request id")
    public String requestId;

    @Label("Endpoint")
    @Description("search or feed")
    public String endpoint;

    @Label("Tier")
    @Description("The tier that answered: full, simplified, cached")
    public String tier;

    @Label("Later page")
    @Description("Whether the request continued a walk with a cursor")
    public boolean laterPage;

    @Label("Typos forgiven")
    public boolean forgiving;

    @Label("Items")
    public int items;

    @Label("Total")
    @Description("Matching items, as the tier counted them")
    public long total;
}

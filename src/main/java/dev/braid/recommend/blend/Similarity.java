package dev.braid.recommend.blend;

import dev.braid.catalog.CatalogItem;

/** How alike two catalog items are, in [0, 1] (1: interchangeable), for diversification. Symmetric. */
public interface Similarity {

    /** The similarity of two items; either may be null (not hydrated), which makes it 0. */
    double between(CatalogItem a, CatalogItem b);
}

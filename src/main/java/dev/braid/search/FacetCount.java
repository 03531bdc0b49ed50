package dev.braid.search;

/** How many items of the filtered set have {@code value} in a facet's field. */
public record FacetCount(String value, long count) {
}

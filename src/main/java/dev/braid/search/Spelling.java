package dev.braid.search;

/**
 * How a search's words must match. A search matches its words as written first; only when that finds almost nothing
 * (a typo) does it forgive one typo per word, so that near-misses never crowd out what the caller typed ({@code
 * sneaker} must not list and count speakers). A walk through the pages keeps the spelling of its first page.
 */
public enum Spelling {
    /** The words as written (after the analyzer's own normalization). */
    EXACT,
    /** One edit per word of five letters or more forgiven, for queries of at most {@link #MAX_WORDS} words. */
    FORGIVING;

    /** Past this many words a query matches without typos forgiven anyway: each word's variants cost the engine. */
    public static final int MAX_WORDS = 8;
}

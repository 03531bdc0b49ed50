package dev.braid.search;

import java.util.regex.Matcher;

/**
 * How a search's words must match. A search matches its words as written first; only when that finds almost nothing
 * (a typo) does it forgive one typo per word, so that near-misses never crowd out what the caller typed ({@code
 * sneaker} must not list and count speakers). A walk through the pages keeps the spelling of its first page.
 */
public enum Spelling {
    /** The words as written (after the analyzer's own normalization). */
    EXACT,
    /** One edit per word of five letters or more forgiven, in queries {@link #forgivable} allows. */
    FORGIVING;

    /** Past this many words a query matches without typos forgiven anyway: each word's variants cost the engine. */
    public static final int MAX_WORDS = 8;
    /** No word is this long; a token that is (a pasted id, a number) would only cost the engine a huge automaton. */
    public static final int MAX_WORD_LENGTH = 30;

    /** Whether typos may be forgiven in {@code text}: a few words, none of them longer than any real word. */
    public static boolean forgivable(String text) {
        if (text == null) {
            return false;
        }
        Matcher words = SearchQuery.WORD.matcher(text);
        int count = 0;
        while (words.find()) {
            if (++count > MAX_WORDS || words.end() - words.start() > MAX_WORD_LENGTH) {
                return false;
            }
        }
        return count > 0;
    }
}

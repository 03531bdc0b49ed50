package dev.braid.search;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A search as the caller asked for it.
 *
 * @param text    the words to match, or {@code null} to match everything (then sorted by popularity for relevance)
 * @param filters what the result set is narrowed to
 * @param sort    the order; every order ends with the item id
 * @param size    items per page
 * @param fields  the item fields to render
 * @param user    the signed-in user whose affinities personalize the ranking, or {@code null}
 */
public record SearchQuery(String text, SearchFilters filters, SearchSort sort, int size, Set<ItemField> fields,
                          String user) {
    /** A product search is a few words; more is not one, and each word costs the engine. */
    public static final int MAX_WORDS = 32;
    static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    public SearchQuery {
        text = text == null || text.isBlank() ? null : text.strip();
        fields = Set.copyOf(fields);
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive");
        }
    }

    /** The words of {@code text}: runs of letters and digits. */
    public static int words(String text) {
        Matcher matcher = WORD.matcher(text);
        int words = 0;
        while (matcher.find()) {
            words++;
        }
        return words;
    }

    /**
     * What the result list depends on, in one canonical string: the text, filters, sort and user. A cursor is bound to
     * it; the page size and the rendered fields may change from page to page.
     */
    public String canonical() {
        return "q=" + (text == null ? "" : text) + "\u001d" + filters.canonical() + "\u001dsort=" + sort.wireName()
               + "\u001duser=" + (user == null ? "" : user);
    }
}

package dev.braid.http;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.braid.search.ItemField;
import dev.braid.search.SearchFilters;

/** The parameters searches and feeds share: {@code fields}, {@code filter.*} and the price range. */
final class SearchParameters {
    static final String FILTER_PREFIX = "filter.";
    private static final Pattern FACET_VALUE = Pattern.compile("[^\\p{Cntrl},]{1,128}");
    private static final Pattern FIELD = Pattern.compile("[a-z_]{1,32}");
    private static final BigDecimal MAX_PRICE = new BigDecimal("1000000000");
    private static final int MAX_VALUES = 50;

    private SearchParameters() {
    }

    /** The fields to render: a subset of {@link ItemField}; {@code item_id} always comes along. */
    static Set<ItemField> fields(QueryParameters query, Set<ItemField> defaults) {
        Set<String> names = query.list("fields", FIELD, "must be field names", ItemField.values().length);
        if (names.isEmpty()) {
            return defaults;
        }
        Set<ItemField> fields = EnumSet.of(ItemField.ITEM_ID);
        for (String name : names) {
            fields.add(ItemField.fromWire(name).orElseThrow(() -> new BadParameterException(
                    "fields", "unknown field '" + QueryParameters.abbreviate(name) + "'; known fields: "
                              + known())));
        }
        return fields;
    }

    static SearchFilters filters(QueryParameters query) {
        Map<String, Set<String>> terms = new LinkedHashMap<>();
        for (String name : query.names()) {
            if (!name.startsWith(FILTER_PREFIX) || isPrice(name)) {
                continue;
            }
            String field = name.substring(FILTER_PREFIX.length());
            if (!SearchFilters.FACETS.contains(field)) {
                throw new BadParameterException(QueryParameters.abbreviate(name), "unknown filter; known filters: "
                        + SearchFilters.FACETS.stream().map(f -> FILTER_PREFIX + f).collect(Collectors.joining(", "))
                        + ", price_min, price_max");
            }
            terms.put(field, query.list(name, FACET_VALUE, "values are 1..128 characters without commas", MAX_VALUES));
        }
        BigDecimal min = price(query, "price_min");
        BigDecimal max = price(query, "price_max");
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw new BadParameterException("price_min", "must not be above price_max (" + min.toPlainString() + " > "
                                                         + max.toPlainString() + ")");
        }
        return SearchFilters.of(terms, min, max);
    }

    /** {@code price_min} or, equally, {@code filter.price_min}; not both. */
    private static BigDecimal price(QueryParameters query, String name) {
        if (query.has(name) && query.has(FILTER_PREFIX + name)) {
            throw new BadParameterException(name, "given both as " + name + " and " + FILTER_PREFIX + name);
        }
        String given = query.has(name) ? name : FILTER_PREFIX + name;
        return query.decimal(given, BigDecimal.ZERO, MAX_PRICE);
    }

    private static boolean isPrice(String name) {
        return name.equals(FILTER_PREFIX + "price_min") || name.equals(FILTER_PREFIX + "price_max");
    }

    private static String known() {
        return EnumSet.allOf(ItemField.class).stream().map(ItemField::wireName).collect(Collectors.joining(", "));
    }
}

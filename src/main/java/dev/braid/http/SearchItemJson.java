package dev.braid.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.braid.search.ItemField;
import dev.braid.search.SearchItem;

/** Renders search and feed items with exactly the fields asked for, in a fixed order. */
final class SearchItemJson {
    private SearchItemJson() {
    }

    static List<Map<String, Object>> render(List<SearchItem> items, Set<ItemField> fields) {
        List<Map<String, Object>> rendered = new ArrayList<>(items.size());
        for (SearchItem item : items) {
            Map<String, Object> json = new LinkedHashMap<>();
            for (ItemField field : ItemField.values()) {
                if (fields.contains(field)) {
                    json.put(field.wireName(), value(item, field));
                }
            }
            rendered.add(json);
        }
        return rendered;
    }

    private static Object value(SearchItem item, ItemField field) {
        return switch (field) {
            case ITEM_ID -> item.itemId();
            case TITLE -> item.title();
            case DESCRIPTION -> item.description();
            case CATEGORY -> item.category();
            case BRAND -> item.brand();
            case PRICE -> item.price();
            case POPULARITY -> item.popularity();
            case PUBLISHED_AT -> item.publishedAt() == null ? null : item.publishedAt().toString();
            case IN_STOCK -> item.inStock();
        };
    }
}

package dev.braid.search;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The item fields a search or feed can render; {@code fields} picks a subset of them. */
public enum ItemField {
    ITEM_ID("item_id"), TITLE("title"), DESCRIPTION("description"), CATEGORY("category"), BRAND("brand"),
    PRICE("price"), POPULARITY("popularity"), PUBLISHED_AT("published_at"), IN_STOCK("in_stock");

    /** What a search renders when the caller does not choose. */
    public static final Set<ItemField> DEFAULT = Set.copyOf(EnumSet.of(ITEM_ID, TITLE, CATEGORY, BRAND, PRICE, IN_STOCK));

    private final String wireName;

    ItemField(String wireName) {
        this.wireName = wireName;
    }

    /** The field's name in the index and in the JSON answer. */
    public String wireName() {
        return wireName;
    }

    public static Optional<ItemField> fromWire(String name) {
        return Arrays.stream(values()).filter(field -> field.wireName.equals(name)).findFirst();
    }
}

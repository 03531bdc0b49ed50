package dev.braid.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.braid.resilience.Deadline;

/** Item metadata by id. Blocking; gives up at the deadline. */
public interface Catalog extends AutoCloseable {

    /**
     * The items that exist among {@code ids}, in one round trip; unknown ids are simply absent.
     *
     * @throws CatalogUnavailableException when the catalog cannot answer in time
     */
    Map<String, CatalogItem> items(Collection<String> ids, Deadline deadline);

    /**
     * The {@code n} most popular items in stock, most popular first (ties by item id), for visitors without any
     * personal signal and for answers when the catalog's search is down.
     *
     * @throws CatalogUnavailableException when the catalog cannot answer in time
     */
    List<CatalogItem> popular(int n, Deadline deadline);

    @Override
    default void close() {
    }
}

package dev.braid.search;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * The pages recently answered by the engine, per replica, bounded in size and age: what tier 3 serves when the engine
 * cannot answer the same page again. Only complete answers are kept.
 */
final class RecentAnswers {
    private final Cache<String, SearchResult> pages;

    RecentAnswers(int size, Duration ttl, Ticker ticker) {
        this.pages = Caffeine.newBuilder()
                .maximumSize(size)
                .expireAfterWrite(ttl)
                .ticker(ticker)
                // Maintenance on the caller's thread: the common pool has one thread on a 2-core machine.
                .executor(Runnable::run)
                .build();
    }

    void remember(String binding, List<Object> after, SearchResult page) {
        pages.put(key(binding, after), page);
    }

    Optional<SearchResult> recall(String binding, List<Object> after) {
        return Optional.ofNullable(pages.getIfPresent(key(binding, after)));
    }

    private static String key(String binding, List<Object> after) {
        return binding + after;
    }
}

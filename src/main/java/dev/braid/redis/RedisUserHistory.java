package dev.braid.redis;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

import dev.braid.observe.ThrottledLog;
import dev.braid.recommend.UserHistory;

import redis.clients.jedis.UnifiedJedis;

/**
 * A user's recent interactions from the Redis list {@code history:{USER}} (the braces are a cluster hash tag), whose
 * entries are JSON events ({@link HistoryEntries}), newest first; the events endpoint writes it. Any Redis failure gives
 * an empty history: the caller then recommends without it.
 */
public final class RedisUserHistory implements UserHistory {
    private static final Logger LOG = Logger.getLogger(RedisUserHistory.class.getName());

    private final UnifiedJedis redis;
    private final ThrottledLog failures;

    public RedisUserHistory(UnifiedJedis redis) {
        this.redis = redis;
        this.failures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    }

    static String key(String user) {
        return HistoryEntries.key(user);
    }

    @Override
    public List<String> recentItems(String user, int n) {
        if (user == null || n <= 0) {
            return List.of();
        }
        List<String> entries;
        try {
            entries = redis.lrange(key(user), 0, HistoryEntries.entriesFor(n) - 1);
        } catch (RuntimeException e) {
            // Down, timed out, pool exhausted, or the key holds another type: all mean "no history this time".
            failures.warn("user history unavailable, recommending without it: " + e, null);
            return List.of();
        }
        return HistoryEntries.distinctItems(entries, n, failures);
    }
}

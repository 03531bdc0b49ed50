package dev.braid.redis;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.observe.ThrottledLog;
import dev.braid.recommend.UserHistory;

import redis.clients.jedis.UnifiedJedis;

/**
 * A user's recent interactions from the Redis list {@code history:{USER}} (the braces are a cluster hash tag), whose
 * entries are JSON events such as {@code {"item_id":"i9","type":"click","value":1,"ts":"..."}}, newest first. Any Redis
 * failure gives an empty history: the caller then recommends without it.
 */
public final class RedisUserHistory implements UserHistory {
    private static final Logger LOG = Logger.getLogger(RedisUserHistory.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Entries read per wanted item: repeated views of one item are common, and duplicates collapse. */
    private static final int OVERREAD = 3;
    private static final int MAX_ENTRIES = 500;

    private final UnifiedJedis redis;
    private final ThrottledLog failures;

    public RedisUserHistory(UnifiedJedis redis) {
        this.redis = redis;
        this.failures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    }

    static String key(String user) {
        return "history:{" + user + "}";
    }

    @Override
    public List<String> recentItems(String user, int n) {
        if (user == null || n <= 0) {
            return List.of();
        }
        List<String> entries;
        try {
            entries = redis.lrange(key(user), 0, Math.min(MAX_ENTRIES, (long) n * OVERREAD) - 1);
        } catch (RuntimeException e) {
            // Down, timed out, pool exhausted, or the key holds another type: all mean "no history this time".
            failures.warn("user history unavailable, recommending without it: " + e, null);
            return List.of();
        }
        Set<String> items = new LinkedHashSet<>();
        for (String entry : entries) {
            String item = itemId(entry);
            if (item != null && items.add(item) && items.size() == n) {
                break;
            }
        }
        return List.copyOf(items);
    }

    private String itemId(String entry) {
        try {
            JsonNode item = JSON.readTree(entry).path("item_id");
            return item.isTextual() && !item.asText().isBlank() ? item.asText() : null;
        } catch (JsonProcessingException e) {
            failures.warn("skipping a history entry that is not a JSON event: " + e.getOriginalMessage(), null);
            return null;
        }
    }
}

package dev.braid.cache;

import java.time.Duration;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * How the two tiers behave, for every cache.
 *
 * @param enabled            whether finished lists are cached at all (off: every request makes its list)
 * @param l1Enabled          whether each replica keeps entries in memory (off: every lookup reads the shared tier)
 * @param l1Size             entries per cache per replica
 * @param lockTtl            how long a revalidation lock lives when its owner never releases it (crashed)
 * @param lockWait           how long a replica without anything to serve waits for the lock owner's result
 * @param jitter             share of a ttl added at random, so that keys written together do not expire together
 * @param earlyRefresh       XFetch's beta: how eagerly hot entries are refreshed before they go stale (0: never)
 * @param shortLived         soft and hard ttl of empty, partial and degraded answers
 * @param generationTtl      how long a replica may reuse a user's cache generation without asking Redis again (0:
 *                           ask on every request, so an invalidation is seen by the very next request anywhere)
 * @param generationPush     keep generations in memory while Redis pushes their changes (a hit then costs no round
 *                           trip); off: {@code generation-ttl} decides
 * @param recommendations    the recommendation lists' ttls
 * @param items              the catalog items' ttls (item hydration, {@code /v1/items})
 */
public record CacheConfig(boolean enabled, boolean l1Enabled, int l1Size, Duration lockTtl, Duration lockWait, double jitter,
                          double earlyRefresh, Duration shortLived, Duration generationTtl, boolean generationPush,
                          Ttl recommendations, Ttl items) {

    /** Fresh until {@code fresh}; served stale while revalidating until {@code keep}; then gone. */
    public record Ttl(Duration fresh, Duration keep) {
        public Ttl {
            Rule.positive("fresh", fresh);
            Rule.positive("keep", keep);
            Rule.check(keep.compareTo(fresh) >= 0, "keep", "must not be shorter than fresh");
        }
    }

    public CacheConfig {
        Rule.atLeast("l1-size", l1Size, 1);
        Rule.positive("lock-ttl", lockTtl);
        Rule.check(!lockWait.isNegative(), "lock-wait", "must not be negative");
        Rule.check(jitter >= 0 && jitter <= 1, "jitter", "must be between 0 and 1");
        Rule.check(earlyRefresh >= 0 && Double.isFinite(earlyRefresh), "early-refresh", "must be >= 0");
        Rule.positive("short-lived", shortLived);
        Rule.check(!generationTtl.isNegative(), "generation-ttl", "must not be negative");
    }

    public static CacheConfig create(Settings node) {
        Settings recommendations = node.child("recommendations");
        Settings items = node.child("items");
        return node.bind(() -> new CacheConfig(
                node.bool("enabled", true),
                node.bool("l1-enabled", true),
                node.integer("l1-size", 10_000),
                node.duration("lock-ttl", Duration.ofSeconds(2)),
                node.duration("lock-wait", Duration.ofMillis(100)),
                node.decimal("jitter", 0.1),
                node.decimal("early-refresh", 1.0),
                node.duration("short-lived", Duration.ofSeconds(5)),
                node.duration("generation-ttl", Duration.ZERO),
                node.bool("generation-push", true),
                recommendations.bind(() -> new Ttl(recommendations.duration("fresh", Duration.ofSeconds(30)),
                                                   recommendations.duration("keep", Duration.ofMinutes(10)))),
                items.bind(() -> new Ttl(items.duration("fresh", Duration.ofMinutes(5)),
                                         items.duration("keep", Duration.ofHours(1))))));
    }
}

package dev.braid.search;

import java.time.Duration;
import java.util.List;

import dev.braid.config.Rule;
import dev.braid.config.Settings;
import dev.braid.resilience.GuardConfig;

/**
 * How searches and feeds are answered.
 *
 * @param budget            the longest a search or feed request may take, all tiers together
 * @param simplifiedTimeout the time kept for tier 2 (no personalization, no facets) when tier 1 fails
 * @param guard             OpenSearch's guard for searches; its {@code timeout} bounds tier 1
 * @param feedGuard         OpenSearch's guard for feeds, apart from searches', so trouble of one never opens the other
 * @param cursorSecret      the secret cursors and recommendation ids are sealed with (AES-GCM, a key derived from it),
 *                          shared by every replica; empty: a random key per process, so they work only against the
 *                          instance that issued them
 * @param previousCursorSecrets secrets tokens were sealed with before, still opened: rotate by moving the current secret
 *                          here and setting a new one, and drop it once its tokens have expired
 * @param cursorTtl         how long a search cursor stays valid
 * @param facetSize         values per facet
 * @param affinities        how many of a user's strongest category and brand affinities boost their ranking
 * @param boosts            how much each signal weighs in the personalized ranking
 * @param feedKeepAlive     how long a feed's point in time lives after each page
 * @param feedSnapshotRefresh how long new walks keep starting on the same point in time before a new one is opened:
 *                          walks share points in time, so their number depends on time, not on how many walks start
 * @param recencyScale      the age at which a feed item's recency boost has halved
 * @param fallbackSize      how many recent answers tier 3 keeps per replica
 * @param fallbackTtl       how long tier 3 may serve a recent answer
 * @param forgiveTyposBelow a first page with fewer hits for the words as written is asked again with one typo per word
 *                          forgiven ({@link Spelling}); 0: typos are never forgiven
 */
public record SearchConfig(Duration budget, Duration simplifiedTimeout, GuardConfig guard, GuardConfig feedGuard,
                           String cursorSecret, List<String> previousCursorSecrets, Duration cursorTtl, int facetSize, int affinities, Boosts boosts,
                           Duration feedKeepAlive, Duration feedSnapshotRefresh, Duration recencyScale,
                           int fallbackSize, Duration fallbackTtl, int forgiveTyposBelow) {
    /** One caller may hold this many of a guard's slots, and after this many failures in a row waits alone. */
    private static final int PER_CALLER = 4;
    private static final int CALLER_FAILURES = 3;

    /** Weights of the ranking signals; 0 turns one off. */
    public record Boosts(double category, double brand, double popularity, double recency) {
        public Boosts {
            Rule.check(category >= 0, "category", "must be >= 0");
            Rule.check(brand >= 0, "brand", "must be >= 0");
            Rule.check(popularity >= 0, "popularity", "must be >= 0");
            Rule.check(recency >= 0, "recency", "must be >= 0");
        }
    }

    public SearchConfig {
        Rule.positive("budget", budget);
        Rule.positive("simplified-timeout", simplifiedTimeout);
        Rule.check(simplifiedTimeout.compareTo(budget) < 0, "simplified-timeout", "must be shorter than budget");
        Rule.check(cursorSecret != null && (cursorSecret.isEmpty() || cursorSecret.length() >= 16), "cursor-secret",
                   "must be empty or at least 16 characters");
        previousCursorSecrets = List.copyOf(previousCursorSecrets);
        Rule.check(previousCursorSecrets.stream().allMatch(secret -> secret.length() >= 16), "previous-cursor-secrets",
                   "each must be at least 16 characters");
        Rule.check(previousCursorSecrets.isEmpty() || !cursorSecret.isEmpty(), "previous-cursor-secrets",
                   "need a cursor-secret to seal new tokens with");
        Rule.positive("cursor-ttl", cursorTtl);
        Rule.check(facetSize >= 1 && facetSize <= 100, "facet-size", "must be between 1 and 100");
        Rule.check(affinities >= 0 && affinities <= 32, "affinities", "must be between 0 and 32");
        Rule.positive("feed-keep-alive", feedKeepAlive);
        Rule.positive("feed-snapshot-refresh", feedSnapshotRefresh);
        Rule.check(feedSnapshotRefresh.multipliedBy(2).compareTo(feedKeepAlive) <= 0, "feed-snapshot-refresh",
                   "must be at most half of feed-keep-alive, so a shared point in time outlives every walk it starts");
        Rule.positive("recency-scale", recencyScale);
        Rule.atLeast("fallback-size", fallbackSize, 0);
        Rule.positive("fallback-ttl", fallbackTtl);
        Rule.atLeast("forgive-typos-below", forgiveTyposBelow, 0);
    }

    public static SearchConfig create(Settings node) {
        Settings guard = node.child("guard");
        Settings feedGuard = node.child("feed-guard");
        Settings boosts = node.child("boosts");
        return node.bind(() -> new SearchConfig(
                node.duration("budget", Duration.ofMillis(300)),
                node.duration("simplified-timeout", Duration.ofMillis(80)),
                guard.bind(() -> GuardConfig.read(guard, Duration.ofMillis(150), PER_CALLER, CALLER_FAILURES)),
                feedGuard.bind(() -> GuardConfig.read(feedGuard, Duration.ofMillis(150), PER_CALLER, CALLER_FAILURES)),
                node.string("cursor-secret", ""),
                node.list("previous-cursor-secrets", List.of()),
                node.duration("cursor-ttl", Duration.ofHours(1)),
                node.integer("facet-size", 20),
                node.integer("affinities", 10),
                boosts.bind(() -> new Boosts(boosts.decimal("category", 2.0), boosts.decimal("brand", 1.0),
                                             boosts.decimal("popularity", 1.0), boosts.decimal("recency", 3.0))),
                node.duration("feed-keep-alive", Duration.ofMinutes(2)),
                node.duration("feed-snapshot-refresh", Duration.ofSeconds(30)),
                node.duration("recency-scale", Duration.ofDays(7)),
                node.integer("fallback-size", 10_000),
                node.duration("fallback-ttl", Duration.ofMinutes(10)),
                node.integer("forgive-typos-below", 3)));
    }

    /** For {@code /admin/config}: everything but the secret. */
    @Override
    public String toString() {
        return "SearchConfig[budget=" + budget + ", simplifiedTimeout=" + simplifiedTimeout + ", guard=" + guard
               + ", feedGuard=" + feedGuard
               + ", cursorSecret=" + (cursorSecret.isEmpty() ? "(random per process)" : "(set)")
               + ", previousCursorSecrets=(" + previousCursorSecrets.size() + " set), cursorTtl="
               + cursorTtl + ", facetSize=" + facetSize + ", affinities=" + affinities + ", boosts=" + boosts
               + ", feedKeepAlive=" + feedKeepAlive + ", feedSnapshotRefresh=" + feedSnapshotRefresh
               + ", recencyScale=" + recencyScale + ", fallbackSize="
               + fallbackSize + ", fallbackTtl=" + fallbackTtl + ", forgiveTyposBelow=" + forgiveTyposBelow + "]";
    }
}

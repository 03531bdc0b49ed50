package dev.braid.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;

import dev.braid.observe.BraidMeters;
import dev.braid.observe.CacheLookupEvent;
import dev.braid.observe.RequestContext;
import dev.braid.observe.ThrottledLog;

/**
 * A cache in two tiers with stale-while-revalidate: this replica's memory (L1, Caffeine) over a store every replica
 * shares (L2, {@link SharedStore}).
 *
 * <ul>
 *   <li>An entry is fresh until its soft expiry, then served stale while one background revalidation per key runs,
 *       until its hard expiry. Hot entries are refreshed a little early, at random (XFetch), so they rarely go
 *       stale at all.</li>
 *   <li>A cold miss blocks its caller; concurrent callers for the same key wait for the same load.</li>
 *   <li>Loading reads the shared tier first; only if it has nothing usable does a replica take the key's lock and call
 *       the origin. A replica that finds the lock held serves what it has, or waits a bounded time for the owner's
 *       result, then calls the origin itself. A dead shared tier means: straight to the origin.</li>
 *   <li>When the origin fails, a stale value (up to its hard expiry) is served instead, flagged; a revalidation that
 *       found it failing is tried again after {@code cache.short-lived}, not on the next request.</li>
 * </ul>
 * Time is the injected clock's wall time, so replicas agree on the expiry of what they share.
 */
public final class TieredCache<V> {
    private static final Logger LOG = Logger.getLogger(TieredCache.class.getName());

    private final CacheSpec<V> spec;
    private final CacheConfig config;
    private final SharedStore shared;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Executor background;
    private final BraidMeters meters;
    private final Cache<String, Entry<V>> memory;
    private final SingleFlight<Lookup<V>> loading = new SingleFlight<>();
    private final Set<String> revalidating = ConcurrentHashMap.newKeySet();
    private final ThrottledLog failures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);

    /**
     * A value with its expiry instants (epoch millis) and what loading it took; {@code retryAt} is set once a
     * revalidation found the origin failing: the value is served as a stand-in from then on, and the origin is not asked
     * again before that instant.
     */
    record Entry<V>(V value, long softAt, long hardAt, long loadMillis, long retryAt) {
        Entry<V> withRefreshFailed(long retryAt) {
            return new Entry<>(value, softAt, hardAt, loadMillis, retryAt);
        }

        boolean refreshFailed() {
            return retryAt > 0;
        }
    }

    public TieredCache(CacheSpec<V> spec, CacheConfig config, SharedStore shared, Clock clock, DoubleSupplier random,
                       Executor background, BraidMeters meters) {
        this.spec = spec;
        this.config = config;
        this.shared = shared;
        this.clock = clock;
        this.random = random;
        this.background = background;
        this.meters = meters;
        this.memory = config.l1Enabled() ? Caffeine.newBuilder()
                .maximumSize(config.l1Size())
                .expireAfter(Expiry.<String, Entry<V>>creating((key, entry) ->
                        Duration.ofMillis(Math.max(0, entry.hardAt() - clock.millis()))))
                .ticker(() -> clock.millis() * 1_000_000L)
                // Maintenance on the caller's thread: the common pool has a single thread on a 2-core machine.
                .executor(Runnable::run)
                .removalListener((String key, Entry<V> entry, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        meters.cache(spec.name(), "eviction");
                    }
                })
                .build() : null;
        meters.registerCache(spec.name(), () -> memory == null ? 0L : memory.estimatedSize());
    }

    /**
     * The value under {@code key}, from memory, the shared tier or {@code origin}.
     *
     * @throws RuntimeException what {@code origin} threw, when it failed and nothing stale could stand in
     */
    public Lookup<V> get(String key, Supplier<V> origin) {
        CacheLookupEvent event = new CacheLookupEvent();
        event.begin();
        Lookup<V> lookup = lookup(key, origin);
        meters.cache(spec.name(), lookup.originFailed() ? "stale-on-error" : lookup.outcome().wireName());
        if (event.shouldCommit()) {
            event.requestId = RequestContext.currentRequestId();
            event.cache = spec.name();
            event.outcome = lookup.outcome().wireName();
            event.originFailed = lookup.originFailed();
            event.commit();
        }
        return lookup;
    }

    /**
     * The values under {@code keys} in as few round trips as there are tiers to ask: memory, then one batch read of the
     * shared tier, then one call of {@code origin} for the keys still missing, whose answers are written back in one
     * batch. Keys {@code origin} leaves out are absent from the answer. Batches take no locks: their origin is a cheap
     * bulk read, and a few replicas reading it at once is fine. Stale values are served as they are; fresh ones come
     * when they expire for good.
     *
     * @throws RuntimeException what {@code origin} threw, when nothing cached could answer any key
     */
    public Map<String, V> getAll(Collection<String> keys, Function<Set<String>, Map<String, V>> origin) {
        long now = clock.millis();
        Map<String, V> found = new LinkedHashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        for (String key : keys) {
            Entry<V> local = memory == null ? null : memory.getIfPresent(key);
            if (local != null && now < local.hardAt()) {
                found.put(key, local.value());
                meters.cache(spec.name(), now < local.softAt() ? "hit-l1" : "stale");
            } else {
                missing.add(key);
            }
        }
        if (missing.isEmpty()) {
            return found;
        }
        Map<String, String> sharedKeys = new LinkedHashMap<>();
        missing.forEach(key -> sharedKeys.put(sharedKey(key), key));
        shared.getAll(List.copyOf(sharedKeys.keySet())).forEach((sharedKey, bytes) -> {
            Entry<V> entry = decode(bytes);
            if (entry != null) {
                String key = sharedKeys.get(sharedKey);
                remember(key, entry);
                found.put(key, entry.value());
                missing.remove(key);
                meters.cache(spec.name(), now < entry.softAt() ? "hit-l2" : "stale");
            }
        });
        if (missing.isEmpty()) {
            return found;
        }
        meters.cache(spec.name(), "origin-call");
        long started = clock.millis();
        Map<String, V> loaded;
        try {
            loaded = origin.apply(Set.copyOf(missing));
        } catch (RuntimeException e) {
            meters.cache(spec.name(), "origin-failure");
            if (found.isEmpty()) {
                throw e;
            }
            return found;
        }
        long loadedAt = clock.millis();
        Map<String, byte[]> writes = new LinkedHashMap<>();
        Map<String, Duration> ttls = new LinkedHashMap<>();
        loaded.forEach((key, value) -> {
            meters.cache(spec.name(), "miss");
            found.put(key, value);
            if (!spec.failed().test(value)) {
                Entry<V> entry = entry(value, loadedAt, loadedAt - started);
                remember(key, entry);
                byte[] envelope = envelope(entry);
                if (envelope != null) {
                    writes.put(sharedKey(key), envelope);
                    ttls.put(sharedKey(key), Duration.ofMillis(Math.max(1, entry.hardAt() - loadedAt)));
                }
            }
        });
        shared.putAll(writes, ttls);
        return found;
    }

    /**
     * Keeps {@code value} under {@code key} in both tiers, as if an origin had just answered it: for values made
     * elsewhere that later requests look up by a key of their own (a list by its version).
     */
    public void put(String key, V value) {
        if (spec.failed().test(value)) {
            return;
        }
        long now = clock.millis();
        Entry<V> entry = entry(value, now, 0);
        remember(key, entry);
        writeShared(key, entry, now);
    }

    /** What is kept under {@code key} in either tier, fresh or stale but not expired; never calls an origin. */
    public Optional<Lookup<V>> find(String key) {
        long now = clock.millis();
        Entry<V> local = memory == null ? null : memory.getIfPresent(key);
        if (local != null && now < local.hardAt()) {
            meters.cache(spec.name(), "hit-l1");
            return Optional.of(new Lookup<>(local.value(), CacheOutcome.HIT_L1, false));
        }
        Entry<V> shared = readShared(key);
        if (shared == null) {
            meters.cache(spec.name(), "miss");
            return Optional.empty();
        }
        remember(key, shared);
        meters.cache(spec.name(), "hit-l2");
        return Optional.of(new Lookup<>(shared.value(), CacheOutcome.HIT_L2, false));
    }

    /** Forgets {@code key} in this replica's memory (the shared tier keeps it until it expires). */
    public void forgetLocally(String key) {
        if (memory != null) {
            memory.invalidate(key);
        }
    }

    private Lookup<V> lookup(String key, Supplier<V> origin) {
        long now = clock.millis();
        Entry<V> local = memory == null ? null : memory.getIfPresent(key);
        if (local != null && now < local.hardAt()) {
            if (now < local.softAt()) {
                if (refreshEarly(local, now)) {
                    revalidate(key, origin, local);
                }
                return new Lookup<>(local.value(), CacheOutcome.HIT_L1, false);
            }
            if (now >= local.retryAt()) {
                revalidate(key, origin, local);
            }
            return new Lookup<>(local.value(), CacheOutcome.STALE, local.refreshFailed());
        }
        return loading.run(key, () -> load(key, origin));
    }

    /** A cold load: the shared tier, else the origin under the key's lock. */
    private Lookup<V> load(String key, Supplier<V> origin) {
        Entry<V> fromShared = readShared(key);
        long now = clock.millis();
        if (fromShared != null) {
            remember(key, fromShared);
            if (now < fromShared.softAt()) {
                return new Lookup<>(fromShared.value(), CacheOutcome.HIT_L2, false);
            }
            revalidate(key, origin, fromShared);
            return new Lookup<>(fromShared.value(), CacheOutcome.STALE, false);
        }
        return fromOrigin(key, origin, null);
    }

    /**
     * The origin's value, called by at most one replica at a time per key. {@code stale} is what this replica could
     * serve meanwhile ({@code null} when it has nothing).
     */
    private Lookup<V> fromOrigin(String key, Supplier<V> origin, Entry<V> stale) {
        String lockKey = lockKey(key);
        return switch (shared.tryLock(lockKey, config.lockTtl())) {
            case LockAttempt.Won won -> {
                meters.cache(spec.name(), "lock-won");
                try {
                    yield callOrigin(key, origin, stale);
                } finally {
                    // Whatever happened (a failed origin, an unwritable value, an interrupt): never leave the lock.
                    shared.unlock(lockKey, won.token());
                }
            }
            case LockAttempt.Held held -> {
                meters.cache(spec.name(), "lock-lost");
                if (stale != null) {
                    yield new Lookup<>(stale.value(), CacheOutcome.STALE, false);
                }
                Entry<V> arrived = awaitOwner(key);
                if (arrived != null) {
                    remember(key, arrived);
                    yield new Lookup<>(arrived.value(), CacheOutcome.HIT_L2, false);
                }
                yield callOrigin(key, origin, null);
            }
            case LockAttempt.Unavailable unavailable -> callOrigin(key, origin, stale);
        };
    }

    private Lookup<V> callOrigin(String key, Supplier<V> origin, Entry<V> stale) {
        meters.cache(spec.name(), "origin-call");
        long started = clock.millis();
        V value;
        try {
            value = origin.get();
        } catch (RuntimeException e) {
            meters.cache(spec.name(), "origin-failure");
            if (usable(stale)) {
                return new Lookup<>(stale.value(), CacheOutcome.STALE, true);
            }
            throw e;
        }
        if (spec.failed().test(value)) {
            meters.cache(spec.name(), "origin-failure");
            return usable(stale) ? new Lookup<>(stale.value(), CacheOutcome.STALE, true)
                                 : new Lookup<>(value, CacheOutcome.MISS, false);
        }
        long now = clock.millis();
        Entry<V> entry = entry(value, now, Math.max(0, now - started));
        remember(key, entry);
        writeShared(key, entry, now);
        return new Lookup<>(value, CacheOutcome.MISS, false);
    }

    /** One background revalidation per key per replica; the caller has already been served. */
    private void revalidate(String key, Supplier<V> origin, Entry<V> current) {
        if (!revalidating.add(key)) {
            return;
        }
        meters.cache(spec.name(), "revalidation");
        try {
            background.execute(() -> {
                try {
                    Entry<V> fromShared = readShared(key);
                    if (fromShared != null && fromShared.softAt() > current.softAt()
                        && clock.millis() < fromShared.softAt()) {
                        // Another replica has refreshed it already: take theirs, call nobody.
                        remember(key, fromShared);
                        return;
                    }
                    if (fromOrigin(key, origin, current).originFailed()) {
                        // Asked again after the brief time, not on the next request: an origin that is failing (timing
                        // out, most often, because it is overloaded) would otherwise be asked once more per key as
                        // soon as each attempt ends, adding to what makes it fail.
                        remember(key, current.withRefreshFailed(clock.millis() + config.shortLived().toMillis()));
                    }
                } catch (RuntimeException e) {
                    failures.warn("revalidating " + spec.name() + " failed; the stale value stays: " + e, null);
                } finally {
                    revalidating.remove(key);
                }
            });
        } catch (RuntimeException e) {
            revalidating.remove(key);
            failures.warn("revalidation of " + spec.name() + " not started: " + e, null);
        }
    }

    /** XFetch: refresh early with a probability that grows as expiry nears and with how long a load takes. */
    private boolean refreshEarly(Entry<V> entry, long now) {
        if (config.earlyRefresh() <= 0 || entry.loadMillis() <= 0) {
            return false;
        }
        double gap = -entry.loadMillis() * config.earlyRefresh() * Math.log(Math.max(random.getAsDouble(), 1e-12));
        return now + gap >= entry.softAt();
    }

    /** Polls the shared tier for the lock owner's result, for at most the configured wait. */
    private Entry<V> awaitOwner(String key) {
        long until = System.nanoTime() + config.lockWait().toNanos();
        long pause = 2;
        while (System.nanoTime() < until) {
            try {
                Thread.sleep(Math.min(pause, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            Entry<V> arrived = readShared(key);
            if (arrived != null && clock.millis() < arrived.softAt()) {
                return arrived;
            }
            pause = Math.min(pause * 2, 20);
        }
        return null;
    }

    private Entry<V> entry(V value, long now, long loadMillis) {
        boolean brief = spec.shortLived().test(value);
        Duration fresh = brief ? config.shortLived() : spec.ttl().fresh();
        Duration keep = brief ? config.shortLived() : spec.ttl().keep();
        // One draw for both: jittered apart, a keep equal to fresh (brief entries) could end before it, and the shared
        // tier would refuse the entry when it is read back.
        double jitter = 1 + config.jitter() * random.getAsDouble();
        long softAt = now + (long) (fresh.toMillis() * jitter);
        return new Entry<>(value, softAt, Math.max(softAt, now + (long) (keep.toMillis() * jitter)), loadMillis, 0);
    }

    private void remember(String key, Entry<V> entry) {
        if (memory != null) {
            memory.put(key, entry);
        }
    }

    private Entry<V> readShared(String key) {
        byte[] bytes = shared.get(sharedKey(key)).orElse(null);
        return bytes == null ? null : decode(bytes);
    }

    /** The entry an envelope from the shared tier holds, or {@code null} when it holds none that can still be used. */
    private Entry<V> decode(byte[] bytes) {
        Envelope.Parts parts = Envelope.read(bytes);
        if (parts == null) {
            meters.cache(spec.name(), "error");
            failures.warn(spec.name() + ": an entry in the shared tier is not a current envelope; treated as a miss",
                          null);
            return null;
        }
        if (clock.millis() >= parts.hardAtMillis()) {
            return null;
        }
        try {
            return new Entry<>(spec.codec().decode(parts.payload()), parts.softAtMillis(), parts.hardAtMillis(),
                               parts.loadMillis(), 0);
        } catch (RuntimeException e) {
            meters.cache(spec.name(), "error");
            failures.warn(spec.name() + ": an entry in the shared tier does not decode; treated as a miss: " + e, null);
            return null;
        }
    }

    private void writeShared(String key, Entry<V> entry, long now) {
        byte[] envelope = envelope(entry);
        if (envelope != null) {
            shared.put(sharedKey(key), envelope, Duration.ofMillis(Math.max(1, entry.hardAt() - now)));
        }
    }

    /** The entry as the shared tier keeps it, or {@code null} when its value does not encode (memory only, then). */
    private byte[] envelope(Entry<V> entry) {
        try {
            return Envelope.write(entry.softAt(), entry.hardAt(), entry.loadMillis(), spec.codec().encode(entry.value()));
        } catch (RuntimeException e) {
            meters.cache(spec.name(), "error");
            failures.warn(spec.name() + ": a value does not encode; kept in memory only: " + e, null);
            return null;
        }
    }

    private boolean usable(Entry<V> stale) {
        return stale != null && clock.millis() < stale.hardAt();
    }

    /** The key in the shared tier; the braces make it and its lock one cluster slot. */
    String sharedKey(String key) {
        return "cache:{" + spec.name() + ":" + key + "}";
    }

    private String lockKey(String key) {
        return sharedKey(key) + ":lock";
    }
}

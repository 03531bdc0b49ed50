package dev.braid.cache;

import java.time.Duration;
import java.util.OptionalLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Users' cache generations as a replica reads them: concurrent reads for one user share one call to the shared tier,
 * and with a reuse time ({@code cache.generation-ttl}) a read is reused that long, trading how soon an invalidation is
 * seen for one Redis round trip per signed-in request. The last generation read for each user is remembered, so that
 * while the shared tier cannot answer the list made under it can still be found and served as what it then is: stale.
 */
public final class Generations {
    private final SharedStore shared;
    private final SingleFlight<OptionalLong> reads = new SingleFlight<>();
    private final Cache<String, Long> recent;
    private final Cache<String, Long> lastRead;

    public Generations(SharedStore shared, Duration reuseFor, int size) {
        this.shared = shared;
        this.recent = reuseFor.isZero() ? null : Caffeine.newBuilder().maximumSize(size).expireAfterWrite(reuseFor)
                .executor(Runnable::run).build();
        this.lastRead = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
    }

    /** The user's generation, or empty when the shared tier cannot say. */
    public OptionalLong of(String user) {
        if (recent != null) {
            Long known = recent.getIfPresent(user);
            if (known != null) {
                return OptionalLong.of(known);
            }
        }
        OptionalLong read = reads.run(user, () -> shared.generation(user));
        if (read.isPresent()) {
            lastRead.put(user, read.getAsLong());
            if (recent != null) {
                recent.put(user, read.getAsLong());
            }
        }
        return read;
    }

    /** The generation this replica last read for {@code user}: possibly outdated, so only ever for a stale answer. */
    public OptionalLong lastRead(String user) {
        Long last = lastRead.getIfPresent(user);
        return last == null ? OptionalLong.empty() : OptionalLong.of(last);
    }

    /**
     * Makes every cached list of {@code user} unreachable, here at once and on other replicas within the reuse time.
     *
     * @return whether it was applied; when the shared tier could not take the bump, nothing changed anywhere
     */
    public boolean bump(String user) {
        boolean applied = shared.bumpGeneration(user);
        if (recent != null) {
            recent.invalidate(user);
        }
        return applied;
    }
}

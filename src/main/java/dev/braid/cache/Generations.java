package dev.braid.cache;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Users' cache generations as a replica reads them: concurrent reads for one user share one call to the shared tier,
 * and with a reuse time ({@code cache.generation-ttl}) a read is reused that long, trading how soon an invalidation is
 * seen for one Redis round trip per signed-in request.
 */
public final class Generations {
    private final SharedStore shared;
    private final SingleFlight<Long> reads = new SingleFlight<>();
    private final Cache<String, Long> recent;

    public Generations(SharedStore shared, Duration reuseFor, int size) {
        this.shared = shared;
        this.recent = reuseFor.isZero() ? null : Caffeine.newBuilder().maximumSize(size).expireAfterWrite(reuseFor)
                .executor(Runnable::run).build();
    }

    public long of(String user) {
        if (recent == null) {
            return reads.run(user, () -> shared.generation(user));
        }
        Long known = recent.getIfPresent(user);
        if (known != null) {
            return known;
        }
        long read = reads.run(user, () -> shared.generation(user));
        recent.put(user, read);
        return read;
    }

    /** Makes every cached list of {@code user} unreachable, here at once and on other replicas within the reuse time. */
    public void bump(String user) {
        shared.bumpGeneration(user);
        if (recent != null) {
            recent.invalidate(user);
        }
    }
}

package dev.braid.cache;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Users' cache generations as a replica knows them.
 *
 * <ul>
 *   <li>While the shared tier pushes changes ({@link GenerationPush} is live), a generation read once is kept in
 *       memory until a push says it moved: a cache hit costs no round trip, and an invalidation anywhere is seen here
 *       as soon as its push arrives (at once on the replica that made it).</li>
 *   <li>Otherwise every request reads it (concurrent reads for one user share one call); with a reuse time
 *       ({@code cache.generation-ttl}) a read is reused that long, trading how soon an invalidation is seen for one
 *       round trip per signed-in request.</li>
 *   <li>The last generation read for each user is remembered, so that while the shared tier cannot answer, the list
 *       made under it can still be found and served as what it then is: stale.</li>
 * </ul>
 */
public final class Generations implements GenerationPush.Listener {
    /** A read older than this cannot still be in flight (every shared-tier call is bounded far below it). */
    private static final Duration READ_HORIZON = Duration.ofMinutes(1);

    private final SharedStore shared;
    private final SingleFlight<Read> reads = new SingleFlight<>();
    private final Cache<String, Long> recent;
    private final Cache<String, Long> lastRead;
    /** Generations kept while pushes are live; empty otherwise. */
    private final Cache<String, Long> known;
    /** When (in {@link #changes} order) each user's generation last moved: a read that started before is not kept. */
    private final Cache<String, Long> changedAt;
    private final AtomicLong changes = new AtomicLong();
    /** Moves on every loss of the push: a read that started before one is not kept either. */
    private final AtomicLong epochs = new AtomicLong();
    private volatile boolean live;

    public Generations(SharedStore shared, Duration reuseFor, int size) {
        this.shared = shared;
        this.recent = reuseFor.isZero() ? null : Caffeine.newBuilder().maximumSize(size).expireAfterWrite(reuseFor)
                .executor(Runnable::run).build();
        this.lastRead = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
        this.known = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
        this.changedAt = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(READ_HORIZON)
                .executor(Runnable::run).build();
    }

    /** The user's generation, or empty when the shared tier cannot say. */
    public OptionalLong of(String user) {
        if (live) {
            Long kept = known.getIfPresent(user);
            if (kept != null) {
                return OptionalLong.of(kept);
            }
        } else if (recent != null) {
            Long reused = recent.getIfPresent(user);
            if (reused != null) {
                return OptionalLong.of(reused);
            }
        }
        Read read = reads.run(user, () -> {
            boolean keep = live;
            long epoch = epochs.get();
            long since = changes.get();
            return new Read(shared.generation(user), keep, epoch, since);
        });
        if (read.generation().isPresent()) {
            long generation = read.generation().getAsLong();
            lastRead.put(user, generation);
            if (recent != null) {
                recent.put(user, generation);
            }
            // Kept only if nothing that could make it stale happened since the read began: no push for this user and
            // no lost push stream. Checked again after keeping it, so that a push arriving in between wins.
            if (read.keep() && current(user, read)) {
                known.put(user, generation);
                if (!current(user, read)) {
                    known.invalidate(user);
                }
            }
        }
        return read.generation();
    }

    /** One read of the shared tier, with what the replica knew when it began. */
    private record Read(OptionalLong generation, boolean keep, long epoch, long since) {
    }

    private boolean current(String user, Read read) {
        Long moved = changedAt.getIfPresent(user);
        return live && epochs.get() == read.epoch() && (moved == null || moved <= read.since());
    }

    /** The generation this replica last read for {@code user}: possibly outdated, so only ever for a stale answer. */
    public OptionalLong lastRead(String user) {
        Long last = lastRead.getIfPresent(user);
        return last == null ? OptionalLong.empty() : OptionalLong.of(last);
    }

    /**
     * Makes every cached list of {@code user} unreachable: here at once, on other replicas as soon as the push arrives
     * (or within the reuse time without pushes).
     *
     * @return whether it was applied; when the shared tier could not take the bump, nothing changed anywhere
     */
    public boolean bump(String user) {
        boolean applied = shared.bumpGeneration(user);
        changed(user);
        return applied;
    }

    /** Whether this replica keeps {@code user}'s generation in memory now (for tests that wait for a push). */
    public boolean remembers(String user) {
        return known.getIfPresent(user) != null;
    }

    /** Whether pushes are live: generations read are kept until one says they moved. */
    public boolean pushed() {
        return live;
    }

    @Override
    public void changed(String user) {
        changedAt.put(user, changes.incrementAndGet());
        known.invalidate(user);
        if (recent != null) {
            recent.invalidate(user);
        }
    }

    @Override
    public void lost() {
        live = false;
        epochs.incrementAndGet();
        known.invalidateAll();
    }

    @Override
    public void live() {
        epochs.incrementAndGet();
        known.invalidateAll();
        live = true;
    }
}

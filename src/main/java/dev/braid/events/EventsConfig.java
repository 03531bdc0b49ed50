package dev.braid.events;

import java.time.Duration;

import dev.braid.config.Rule;
import dev.braid.config.Settings;

/**
 * How event batches are stored and keyed.
 *
 * @param timeout     one write of a batch to the store, on connections of its own: much longer than a cache read's,
 *                    since a write that times out can only be answered "outcome unknown"
 * @param connections the event store's own Redis pool: a burst of batches never takes the cache's connections
 * @param idempotency how idempotency keys are kept
 * @param rebaseEvery how often the trending scale is rebased (by one replica at a time: a singleton job)
 */
public record EventsConfig(Duration timeout, int connections, Idempotency idempotency, Duration rebaseEvery) {
    public static final EventsConfig DEFAULT = new EventsConfig(
            Duration.ofMillis(500), 16, new Idempotency(Duration.ofHours(24), 100_000, Duration.ofSeconds(10)),
            Duration.ofHours(1));

    /**
     * @param retention how long a key and its first answer are kept
     * @param maxKeys   keys kept per caller; beyond, the caller's oldest are forgotten first
     * @param lockTtl   how long a request may hold its key while its batch is applied; a request that crashed holds it
     *                  (retries are answered 409) until then. Also how long a batch sent without a key stays
     *                  recognisable, so that the store can tell after a failure whether it was applied
     */
    public record Idempotency(Duration retention, int maxKeys, Duration lockTtl) {
        public Idempotency {
            Rule.positive("retention", retention);
            Rule.atLeast("max-keys", maxKeys, 1);
            Rule.positive("lock-ttl", lockTtl);
            Rule.check(retention.compareTo(lockTtl) > 0, "retention", "must be longer than lock-ttl");
        }
    }

    public EventsConfig {
        Rule.positive("timeout", timeout);
        Rule.atLeast("connections", connections, 1);
        Rule.check(idempotency != null, "idempotency", "must be set");
        // A claim, the catalog lookup, the write and a settling call after a lost reply all fit in the lock.
        Rule.check(idempotency.lockTtl().compareTo(timeout.multipliedBy(5)) >= 0, "idempotency.lock-ttl",
                   "must be at least 5 x events.timeout (" + Settings.format(timeout.multipliedBy(5)) + "), was "
                   + Settings.format(idempotency.lockTtl()));
        Rule.positive("trending.rebase-every", rebaseEvery);
    }

    public static EventsConfig create(Settings node) {
        Settings idempotency = node.child("idempotency");
        Settings trending = node.child("trending");
        return node.bind(() -> new EventsConfig(
                node.duration("timeout", DEFAULT.timeout()),
                node.integer("connections", DEFAULT.connections()),
                idempotency.bind(() -> new Idempotency(
                        idempotency.duration("retention", DEFAULT.idempotency().retention()),
                        idempotency.integer("max-keys", DEFAULT.idempotency().maxKeys()),
                        idempotency.duration("lock-ttl", DEFAULT.idempotency().lockTtl()))),
                trending.bind(() -> trending.duration("rebase-every", DEFAULT.rebaseEvery()))));
    }
}

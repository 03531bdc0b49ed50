package dev.braid.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.braid.cache.GenerationPush;
import dev.braid.observe.ThrottledLog;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;

/**
 * Generation changes pushed by Redis itself (server-assisted client-side caching, RESP2): on every node, one connection
 * subscribes to {@code __redis__:invalidate} and a second turns on {@code CLIENT TRACKING ... REDIRECT <first> BCAST
 * PREFIX gen:}, so every write of any {@code gen:{USER}} key, by any replica, is announced with its key. This works on the
 * Redis 6.2 and 7.0 servers Braid runs against (Jedis' own client-side cache needs 7.4).
 *
 * <p>Tracking lives as long as its connections: each second the tracking connection is asked whether it still
 * tracks with a live redirect ({@code CLIENT TRACKINGINFO}), and whether the nodes are still the ones tracked. Any
 * failure, a flush (a push without keys) or a topology change tells the listener pushes were lost; everything is set up
 * again, with backoff, and the listener hears {@code live} once pushes flow again.
 */
public final class GenerationTracking implements GenerationPush {
    private static final Logger LOG = Logger.getLogger(GenerationTracking.class.getName());
    static final String CHANNEL = "__redis__:invalidate";
    private static final String PREFIX = "gen:";
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final Supplier<Set<HostAndPort>> nodes;
    private final JedisClientConfig commands;
    private final JedisClientConfig subscriptions;
    private final ThrottledLog failures = new ThrottledLog(LOG, Duration.ofSeconds(30), System::nanoTime);
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Thread worker;
    private volatile List<Node> tracked = List.of();

    /**
     * @param nodes         the servers to track on, asked again after every failure (a cluster's nodes, or the one
     *                      standalone server)
     * @param commands      how to connect for commands (credentials, TLS, timeouts)
     * @param subscriptions the same without a read timeout: a subscription waits for as long as nothing changes
     */
    public GenerationTracking(Supplier<Set<HostAndPort>> nodes, JedisClientConfig commands,
                              JedisClientConfig subscriptions) {
        this.nodes = nodes;
        this.commands = commands;
        this.subscriptions = subscriptions;
    }

    @Override
    public synchronized void start(Listener listener) {
        if (worker == null) {
            worker = Thread.ofVirtual().name("braid-generation-tracking").start(() -> run(listener));
        }
    }

    private void run(Listener listener) {
        Duration backoff = Duration.ofMillis(100);
        while (closing.getCount() > 0) {
            Set<HostAndPort> servers = Set.of();
            try {
                servers = Set.copyOf(nodes.get());
                List<Node> opened = new CopyOnWriteArrayList<>();
                tracked = opened;
                for (HostAndPort server : servers) {
                    opened.add(new Node(server, listener));
                }
                listener.live();
                backoff = Duration.ofMillis(100);
                while (!closing.await(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS)) {
                    for (Node node : opened) {
                        node.check();
                    }
                    if (!Set.copyOf(nodes.get()).equals(servers)) {
                        throw new IllegalStateException("the nodes changed");
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failures.warn("generation pushes lost, reading generations until they are back (" + servers + "): "
                              + e, null);
            } finally {
                listener.lost();
                tracked.forEach(Node::close);
                tracked = List.of();
            }
            try {
                if (closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        Thread running = worker;
        tracked.forEach(Node::close);
        if (running != null) {
            running.interrupt();
            try {
                running.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One server tracked: its subscription and the connection that asked for the tracking. */
    private final class Node {
        private final HostAndPort server;
        private final Connection subscriber;
        private final Connection tracker;
        private final Thread reader;
        private volatile RuntimeException broken;

        Node(HostAndPort server, Listener listener) {
            this.server = server;
            this.subscriber = new Connection(server, subscriptions);
            Connection tracking = null;
            try {
                subscriber.sendCommand(Protocol.Command.CLIENT, "ID");
                long id = subscriber.getIntegerReply();
                subscriber.sendCommand(Protocol.Command.SUBSCRIBE, CHANNEL);
                subscriber.getObjectMultiBulkReply(); // ["subscribe", channel, 1]
                tracking = new Connection(server, commands);
                tracking.sendCommand(Protocol.Command.CLIENT, "TRACKING", "on", "REDIRECT", Long.toString(id), "BCAST",
                                     "PREFIX", PREFIX);
                String ok = tracking.getStatusCodeReply();
                if (!"OK".equals(ok)) {
                    throw new IllegalStateException(server + " refused CLIENT TRACKING: " + ok);
                }
            } catch (RuntimeException e) {
                subscriber.close();
                if (tracking != null) {
                    tracking.close();
                }
                throw e;
            }
            this.tracker = tracking;
            this.reader = Thread.ofVirtual().name("braid-generation-pushes-" + server).start(() -> read(listener));
        }

        private void read(Listener listener) {
            try {
                while (true) {
                    List<Object> message = subscriber.getObjectMultiBulkReply();
                    if (message.size() == 3 && "message".equals(text(message.getFirst()))) {
                        if (!(message.get(2) instanceof List<?> keys)) {
                            // No keys: the server flushed everything (FLUSHALL, FLUSHDB) or dropped its tracking table.
                            throw new IllegalStateException(server + " invalidated every key");
                        }
                        for (Object key : keys) {
                            String user = user(text(key));
                            if (user != null) {
                                listener.changed(user);
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                broken = e;
                // At once, not at the next heartbeat: from now on nothing this replica remembers may be trusted.
                listener.lost();
            }
        }

        /** Throws when pushes from this server may have been lost. */
        void check() {
            if (broken != null) {
                throw new IllegalStateException(server + ": the subscription ended: " + broken, broken);
            }
            tracker.sendCommand(Protocol.Command.CLIENT, "TRACKINGINFO");
            List<Object> info = tracker.getObjectMultiBulkReply();
            List<String> flags = new ArrayList<>();
            for (int i = 0; i + 1 < info.size(); i += 2) {
                if ("flags".equals(text(info.get(i))) && info.get(i + 1) instanceof List<?> values) {
                    values.forEach(value -> flags.add(text(value)));
                }
            }
            if (!flags.contains("on") || flags.contains("broken_redirect")) {
                throw new IllegalStateException(server + " no longer tracks with a live redirect: " + flags);
            }
        }

        void close() {
            // Closing the sockets ends the blocked read of the subscription.
            try {
                subscriber.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing a generation subscription", e);
            }
            try {
                tracker.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing a tracking connection", e);
            }
        }
    }

    /** The user of a generation key {@code gen:{USER}}, or {@code null} for any other key. */
    static String user(String key) {
        if (key == null || !key.startsWith(PREFIX + "{") || !key.endsWith("}")) {
            return null;
        }
        return key.substring(PREFIX.length() + 1, key.length() - 1);
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }
}

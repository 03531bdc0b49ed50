package dev.braid.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import redis.clients.jedis.Jedis;

/**
 * A real Redis Cluster on loopback: {@code size} embedded redis-servers (6.2, the binary embedded-redis ships) with
 * {@code cluster-enabled yes}, the 16384 slots split evenly between them with CLUSTER ADDSLOTS, joined with CLUSTER MEET.
 * Masters only, no replicas: enough for a client's routing (MOVED, pipelines across nodes, hash tags), not for failover.
 * Each node's {@link EmbeddedRedis#stop()} / {@link EmbeddedRedis#restart()} keeps its port and its nodes file, so a
 * restarted node rejoins (empty). Needs nothing but the JDK: no Debian redis-server, no Docker.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {
    public static final int SLOTS = 16_384;
    /** Redis 6.2 listens for the cluster bus on the client port + 10000; 7.0's cluster-port is not there yet. */
    private static final int BUS_OFFSET = 10_000;
    private static final Duration FORMING = Duration.ofSeconds(30);

    private final List<EmbeddedRedis> servers;
    private final Path directory;
    private final boolean tls;

    private EmbeddedRedisCluster(List<EmbeddedRedis> servers, Path directory, boolean tls) {
        this.servers = List.copyOf(servers);
        this.directory = directory;
        this.tls = tls;
    }

    /** Starts {@code size} nodes (at least 3, as Redis Cluster wants) and waits until every one reports the cluster ok. */
    public static EmbeddedRedisCluster start(int size) {
        return start(size, null);
    }

    /**
     * As {@link #start(int)}, the nodes speaking TLS to clients and to each other ({@code tls-cluster yes}) with the
     * shared test certificates; each node's plain {@link EmbeddedRedis#port()} stays open for the test's own set-up.
     * The cluster announces the TLS ports: a client seeded with {@link #tlsNodes()} only ever learns of those.
     */
    public static EmbeddedRedisCluster startTls(int size, TestCertificates certificates) {
        return start(size, certificates);
    }

    private static EmbeddedRedisCluster start(int size, TestCertificates certificates) {
        if (size < 3) {
            throw new IllegalArgumentException("a Redis Cluster needs at least 3 masters (was " + size + ")");
        }
        Path directory;
        try {
            directory = Files.createTempDirectory("braid-redis-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException("no directory for the cluster's nodes files", e);
        }
        List<EmbeddedRedis> servers = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                // The cluster bus listens on the announced port + 10000: the TLS port's, with tls-cluster.
                int port = portWithFreeBus();
                List<String> settings = List.of("cluster-enabled yes",
                                                "cluster-config-file " + directory.resolve("nodes-" + port + ".conf"),
                                                "cluster-node-timeout 5000",
                                                "dir " + directory);
                servers.add(certificates == null ? EmbeddedRedis.start(port, settings)
                        : EmbeddedRedis.startTls(port, certificates.serverCertificate(), certificates.serverKey(),
                                                 certificates.caFile(),
                                                 java.util.stream.Stream.concat(settings.stream(), Stream.of(
                                                         "tls-cluster yes", "tls-replication yes")).toList()));
            }
            EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(servers, directory, certificates != null);
            cluster.form();
            return cluster;
        } catch (RuntimeException e) {
            new EmbeddedRedisCluster(servers, directory, false).close(); // whatever started before the failure
            throw e;
        }
    }

    /** The nodes as {@code 127.0.0.1:port}, the form of {@code redis.nodes}. */
    public List<String> nodes() {
        return servers.stream().map(server -> "127.0.0.1:" + server.port()).toList();
    }

    /** The nodes' TLS ports as {@code 127.0.0.1:port} (a cluster made by {@link #startTls}). */
    public List<String> tlsNodes() {
        return servers.stream().map(server -> "127.0.0.1:" + server.tlsPort()).toList();
    }

    /** The node servers, e.g. to stop one. */
    public List<EmbeddedRedis> servers() {
        return servers;
    }

    /** Empties every node (between tests). */
    public void flushAll() {
        for (EmbeddedRedis server : servers) {
            try (Jedis node = new Jedis("127.0.0.1", server.port())) {
                node.flushAll();
            }
        }
    }

    @Override
    public void close() {
        for (EmbeddedRedis server : servers) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                // stop the others anyway
            }
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private void form() {
        int size = servers.size();
        for (int i = 0; i < size; i++) {
            int from = SLOTS * i / size;
            int to = SLOTS * (i + 1) / size;
            try (Jedis node = node(i)) {
                // Distinct epochs up front: no collision for the nodes to resolve before the cluster settles.
                node.clusterSetConfigEpoch(i + 1);
                node.clusterAddSlots(IntStream.range(from, to).toArray());
            }
        }
        try (Jedis first = node(0)) {
            for (int i = 1; i < size; i++) {
                EmbeddedRedis other = servers.get(i);
                first.clusterMeet("127.0.0.1", tls ? other.tlsPort() : other.port());
            }
        }
        long deadline = System.nanoTime() + FORMING.toNanos();
        for (int i = 0; i < size; i++) {
            try (Jedis node = node(i)) {
                String info = node.clusterInfo();
                // Gossip spreads the other nodes and their slots; poll each node until it sees the whole cluster.
                while (!(info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + size)
                         && info.contains("cluster_slots_assigned:" + SLOTS))) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("Redis Cluster did not form within " + FORMING + "; node "
                                                        + servers.get(i).port() + " reports:\n" + info);
                    }
                    pause();
                    info = node.clusterInfo();
                }
            }
        }
    }

    private Jedis node(int index) {
        return new Jedis("127.0.0.1", servers.get(index).port());
    }

    private static int portWithFreeBus() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = FreePort.find();
            if (port + BUS_OFFSET <= 65_535 && FreePort.isFree(port + BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port whose cluster bus port (+" + BUS_OFFSET + ") is free too");
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the cluster formed", e);
        }
    }
}

package dev.braid.redis;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.TestCertificates;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client {@link RedisClients} makes, against a real redis-server speaking TLS with ACL users: what works, and how each
 * refusal (password, certificate, host name, no TLS at all) is told apart from an outage and named by its setting.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisTlsIT {
    private static final String PASSWORD = "braid-acl-s3cret";
    private static final Duration CONNECT = Duration.ofSeconds(2);
    private static final Duration COMMAND = Duration.ofSeconds(1);

    private static TestCertificates certificates;
    private static EmbeddedRedis redis;
    private static EmbeddedRedis misnamed;

    @BeforeAll
    static void start() {
        certificates = TestCertificates.shared();
        redis = EmbeddedRedis.startTls(certificates.serverCertificate(), certificates.serverKey(), certificates.caFile(),
                                       List.of());
        misnamed = EmbeddedRedis.startTls(certificates.misnamedCertificate(), certificates.misnamedKey(),
                                          certificates.caFile(), List.of());
        try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
            admin.aclSetUser("braid", "on", ">" + PASSWORD, "~*", "&*", "+@all");
            admin.aclSetUser("no-ping", "on", ">" + PASSWORD, "~*", "&*", "+@all", "-ping");
        }
    }

    @AfterAll
    static void stop() {
        redis.close();
        misnamed.close();
    }

    @Test
    void anAclUserSignsInOverTlsAndItsCommandsWork() {
        try (UnifiedJedis client = RedisClients.connect(config(redis.tlsPort(), "braid", PASSWORD,
                                                                new RedisConfig.Tls(true, certificates.caFile(), true), 0))) {
            client.set("braid-tls:key", "value");

            assertThat(client.get("braid-tls:key")).isEqualTo("value");
            try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
                // Signed in as the ACL user Braid was configured with, not as the default user.
                assertThat(connectionsOf(admin, "braid")).isPositive();
                assertThat(admin.get("braid-tls:key")).isEqualTo("value");
            }
        }
    }

    @Test
    void aRedissUrlWithCredentialsIsTlsAndAnAclSignIn() {
        RedisConfig config = new RedisConfig(URI.create("rediss://braid:" + PASSWORD + "@127.0.0.1:" + redis.tlsPort()),
                                             List.of(), RedisConfig.Credentials.NONE,
                                             new RedisConfig.Tls(false, certificates.caFile(), true), CONNECT, COMMAND,
                                             4, 0, COMMAND, RedisConfig.Breaker.DEFAULT);

        assertThat(config.tls().enabled()).isTrue();
        try (UnifiedJedis client = RedisClients.connect(config)) {
            assertThat(client.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void aWrongPasswordIsARefusalNamingThePasswordSetting() {
        assertThatThrownBy(() -> RedisClients.connect(config(redis.tlsPort(), "braid", "not-the-password",
                                                             new RedisConfig.Tls(true, certificates.caFile(), true), 0)))
                .isInstanceOfSatisfying(RedisRefusedException.class, refused -> {
                    assertThat(refused.key()).isEqualTo("redis.password");
                    assertThat(refused.getMessage()).contains("refused the password of user 'braid'")
                            .contains("WRONGPASS").doesNotContain("not-the-password");
                });
    }

    @Test
    void aUserWithoutTheCommandsBraidNeedsIsARefusalNamingTheUser() {
        assertThatThrownBy(() -> RedisClients.connect(config(redis.tlsPort(), "no-ping", PASSWORD,
                                                             new RedisConfig.Tls(true, certificates.caFile(), true), 0)))
                .isInstanceOfSatisfying(RedisRefusedException.class, refused -> {
                    assertThat(refused.key()).isEqualTo("redis.username");
                    assertThat(refused.getMessage()).contains("user 'no-ping'").contains("NOPERM");
                });
    }

    @Test
    void aCertificateFromAnUntrustedCaIsARefusalNamingTheCaFile() {
        assertThatThrownBy(() -> RedisClients.connect(config(redis.tlsPort(), "braid", PASSWORD,
                                                             new RedisConfig.Tls(true, certificates.otherCaFile(), true),
                                                             0)))
                .isInstanceOfSatisfying(RedisRefusedException.class, refused -> {
                    assertThat(refused.key()).isEqualTo("redis.tls.ca-file");
                    assertThat(refused.getMessage()).contains("does not accept the Redis server's certificate");
                });
        // Without a CA file the JVM's public CAs are trusted, and the test CA is not one of them.
        assertThatThrownBy(() -> RedisClients.connect(config(redis.tlsPort(), "braid", PASSWORD,
                                                             new RedisConfig.Tls(true, null, true), 0)))
                .isInstanceOfSatisfying(RedisRefusedException.class,
                                        refused -> assertThat(refused.key()).isEqualTo("redis.tls.ca-file"));
    }

    @Test
    void aCertificateForAnotherHostIsARefusalUnlessHostNamesAreNotVerified() {
        assertThatThrownBy(() -> RedisClients.connect(config(misnamed.tlsPort(), "", "",
                                                             new RedisConfig.Tls(true, certificates.caFile(), true), 0)))
                .isInstanceOfSatisfying(RedisRefusedException.class, refused -> {
                    assertThat(refused.key()).isEqualTo("redis.tls.verify-hostname");
                    assertThat(refused.getMessage()).contains("127.0.0.1");
                });

        try (UnifiedJedis client = RedisClients.connect(config(misnamed.tlsPort(), "", "",
                                                               new RedisConfig.Tls(true, certificates.caFile(), false),
                                                               0))) {
            assertThat(client.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void tlsToAPlainPortFailsItsCommandsAtTheHandshakeInsteadOfHanging() {
        // Plain Redis reads the ClientHello as the start of an inline command and waits for its end: to the client, a
        // handshake that never completes, as with an overloaded server. An outage, then, bounded by the connect timeout.
        try (UnifiedJedis client = RedisClients.connect(config(redis.port(), "", "",
                                                               new RedisConfig.Tls(true, certificates.caFile(), true),
                                                               0))) {
            assertThatThrownBy(() -> client.get("braid-tls:key")).isInstanceOf(JedisConnectionException.class)
                    .hasStackTraceContaining(HandshakeFirst.class.getName());
        }
    }

    @Test
    void plainRedisToTheTlsPortFailsItsCommandsInsteadOfHanging() {
        // The TLS port closes a connection that does not start a handshake: to the client that looks like an outage.
        try (UnifiedJedis client = RedisClients.connect(config(redis.tlsPort(), "braid", PASSWORD, RedisConfig.Tls.OFF,
                                                               0))) {
            assertThatThrownBy(() -> client.get("braid-tls:key")).isInstanceOf(JedisConnectionException.class)
                    .message().containsAnyOf("Connection reset", "Unexpected end of stream");
        }
    }

    @Test
    void aServerThatNeverAnswersTheHandshakeFailsTheConnectNotTheCommandLater() throws Exception {
        // Accepts the TCP connection, then says nothing: the handshake is what waits, bounded by the connect timeout.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            RedisConfig config = new RedisConfig(URI.create("redis://127.0.0.1:" + silent.getLocalPort()), List.of(),
                                                 RedisConfig.Credentials.NONE,
                                                 new RedisConfig.Tls(true, certificates.caFile(), true),
                                                 Duration.ofMillis(300), Duration.ofMillis(20), 2, 0,
                                                 Duration.ofSeconds(1), RedisConfig.Breaker.DEFAULT);
            try (UnifiedJedis client = RedisClients.connect(config)) {
                assertThatThrownBy(client::ping).isInstanceOf(JedisConnectionException.class)
                        .hasRootCauseInstanceOf(java.net.SocketTimeoutException.class)
                        .hasStackTraceContaining(HandshakeFirst.class.getName());
            }
            silent.close();
            acceptor.join();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void minIdleConnectionsAreOpenedWithoutAnyCommandAskingForThem() throws Exception {
        String name = "braid";
        try (UnifiedJedis client = RedisClients.connect(config(redis.tlsPort(), "braid", PASSWORD,
                                                                new RedisConfig.Tls(true, certificates.caFile(), true), 3));
             Jedis admin = new Jedis("127.0.0.1", redis.port())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // The pool's idle check runs each second and refills it to min-idle; the first contact left one connection.
            while (connectionsOf(admin, name) < 3) {
                assertThat(System.nanoTime() - deadline).as("3 idle connections within 20 s").isNegative();
                Thread.sleep(50);
            }
            assertThat(connectionsOf(admin, name)).isEqualTo(3);
        }
    }

    private static long connectionsOf(Jedis admin, String name) {
        return admin.clientList().lines().filter(line -> line.contains(" name=" + name + " ")
                                                         && line.contains(" user=braid ")).count();
    }

    private static RedisConfig config(int port, String user, String password, RedisConfig.Tls tls, int minIdle) {
        return new RedisConfig(URI.create("redis://127.0.0.1:" + port), List.of(),
                               new RedisConfig.Credentials(user, password), tls, CONNECT, COMMAND, 4, minIdle, COMMAND,
                               RedisConfig.Breaker.DEFAULT);
    }
}

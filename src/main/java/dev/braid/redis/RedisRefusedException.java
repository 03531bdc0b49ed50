package dev.braid.redis;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLException;

import redis.clients.jedis.exceptions.JedisAccessControlException;

/**
 * Redis, or the TLS in front of it, refused what Braid is configured to present: credentials it does not accept, a
 * certificate Braid does not trust, a server that does not speak TLS. Unlike an outage, waiting does not help; someone
 * must change the setting named by {@link #key()}, so at start-up this stops the process instead of degrading it.
 */
public final class RedisRefusedException extends RuntimeException {
    private final String key;

    RedisRefusedException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The setting to change, e.g. {@code redis.password}. */
    public String key() {
        return key;
    }

    /**
     * What {@code failure} (anything a first contact threw, its causes and the suppressed failures of the other seeds)
     * says about the configuration; empty when it reads as an outage (refused or timed-out connections).
     */
    static Optional<RedisRefusedException> of(Throwable failure, RedisConfig config) {
        for (Throwable cause : chain(failure)) {
            Optional<RedisRefusedException> refused = refusal(cause, config);
            if (refused.isPresent()) {
                return refused;
            }
        }
        return Optional.empty();
    }

    private static Optional<RedisRefusedException> refusal(Throwable cause, RedisConfig config) {
        String user = config.credentials().username().isEmpty() ? "default" : config.credentials().username();
        if (cause instanceof JedisAccessControlException denied) {
            String message = String.valueOf(denied.getMessage());
            if (message.startsWith("NOPERM")) {
                return Optional.of(new RedisRefusedException(
                        "redis.username", "Redis user '" + user + "' may not run what Braid needs (" + message
                                          + "); grant it +@all on ~* (or at least the commands of docs/connections.md)",
                        cause));
            }
            String what = config.credentials().present() ? "refused the password of user '" + user + "'"
                                                         : "asks for a password and none is set";
            return Optional.of(new RedisRefusedException(config.credentialsKey(), "Redis " + what + " (" + message + ")",
                                                         cause));
        }
        if (!(cause instanceof SSLException tls)) {
            return Optional.empty();
        }
        String reason = tls.getMessage();
        for (Throwable inner = tls.getCause(); inner != null; inner = inner.getCause()) {
            String message = String.valueOf(inner.getMessage());
            if (inner instanceof CertificateException && (message.contains("subject alternative")
                                                          || message.contains("No name matching"))) {
                return Optional.of(new RedisRefusedException(
                        "redis.tls.verify-hostname", "the Redis server's certificate does not name the host Braid dialled ("
                                                     + message + "); name it in the certificate, or set "
                                                     + "redis.tls.verify-hostname=false", cause));
            }
            if (inner instanceof CertPathValidatorException || message.contains("PKIX path")) {
                return Optional.of(new RedisRefusedException(
                        "redis.tls.ca-file", "Braid does not accept the Redis server's certificate (" + message
                                             + "); unless a public CA signed it, set redis.tls.ca-file to the PEM file of"
                                             + " its CA", cause));
            }
        }
        if (reason != null && reason.contains("Unsupported or unrecognized SSL message")) {
            return Optional.of(new RedisRefusedException(
                    "redis.tls.enabled", "the Redis server does not speak TLS on this port (" + reason
                                         + "); turn redis.tls.enabled off, or name its TLS port", cause));
        }
        return Optional.of(new RedisRefusedException("redis.tls.enabled", "the TLS handshake with Redis failed ("
                                                                         + reason + ")", cause));
    }

    /** {@code failure}, its causes and suppressed failures (cluster seeds), each once. */
    private static Iterable<Throwable> chain(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> open = new ArrayDeque<>();
        open.add(failure);
        List<Throwable> ordered = new ArrayList<>();
        while (!open.isEmpty() && ordered.size() < 64) {
            Throwable next = open.poll();
            if (next == null || !seen.add(next)) {
                continue;
            }
            ordered.add(next);
            if (next.getCause() != null) {
                open.add(next.getCause());
            }
            Collections.addAll(open, next.getSuppressed());
        }
        return ordered;
    }
}

package dev.braid.redis;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import dev.braid.observe.Spans;
import dev.braid.observe.TraceSpan;

import redis.clients.jedis.CommandFlagsRegistry.CommandFlag;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.StaticCommandFlagsRegistry;
import redis.clients.jedis.executors.CommandExecutor;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.util.Pool;

/**
 * Runs commands through {@code delegate}; when one fails because its connection was dead (reset, closed), the idle
 * connections of the same pools are dropped too, and a read-only command is tried once more, on a new connection.
 *
 * <p>Idle connections opened in the same era as a dead one are dead as well after a Redis restart, a failover or a
 * network blip: without this each of them would fail one request in turn (and open a breaker) before the pool's
 * once-a-second idle check found them. A read is safe to repeat; a write may have been applied before its connection
 * died, so it is not repeated here (its caller decides). A timeout says Redis is slow, not that connections are dead:
 * the pool is left alone and nothing is repeated, since either would only add load.
 *
 * <p>Inside a traced request each command is a client span ({@code db.system.name} redis), a retry included.
 */
final class DeadConnectionRecovery implements CommandExecutor {
    private final CommandExecutor delegate;
    private final ConnectionProvider provider;

    DeadConnectionRecovery(CommandExecutor delegate, ConnectionProvider provider) {
        this.delegate = delegate;
        this.provider = provider;
    }

    @Override
    public <T> T executeCommand(CommandObject<T> command) {
        TraceSpan span = Spans.current().recording() ? Spans.database("redis", name(command), null) : TraceSpan.NONE;
        try {
            return execute(command);
        } catch (RuntimeException e) {
            span.failed(e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** The command's name, as OpenTelemetry's {@code db.operation.name} wants it ({@code GET}, {@code EVALSHA}). */
    private static String name(CommandObject<?> command) {
        return new String(command.getArguments().getCommand().getRaw(), StandardCharsets.US_ASCII);
    }

    private <T> T execute(CommandObject<T> command) {
        try {
            return delegate.executeCommand(command);
        } catch (JedisConnectionException e) {
            if (timedOut(e)) {
                throw e;
            }
            forgetIdle();
            if (!StaticCommandFlagsRegistry.registry().getFlags(command.getArguments()).contains(CommandFlag.READONLY)) {
                throw e;
            }
            return delegate.executeCommand(command);
        }
    }

    /** Closes the idle connections of every pool; connections in use are left to their users. */
    private void forgetIdle() {
        for (Object pool : provider.getConnectionMap().values()) {
            if (pool instanceof Pool<?> idle) {
                idle.clear();
            }
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }
}

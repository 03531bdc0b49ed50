package dev.braid.redis;

import java.util.NoSuchElementException;

import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Whether a write that failed could still have run in Redis. A command never sent cannot: no pooled connection came
 * free, connecting (or the connection's handshake) failed, or writing the command itself failed, so Redis never had all
 * of it; nor can one Redis answered with an error. Anything else (a timeout, a connection lost while the reply was
 * awaited) leaves it open: Redis may have run the command and the reply was lost.
 */
final class WriteFailures {
    private WriteFailures() {
    }

    /** {@code failure} of one command (not a pipeline) says for certain that the command did not run. */
    static boolean notRun(Throwable failure) {
        if (answered(failure) || beforeSending(failure)) {
            return true;
        }
        return whileWriting(failure);
    }

    /** {@code failure} of a pipeline says for certain that none of its commands ran: nothing of it was sent. */
    static boolean noneRan(Throwable failure) {
        return answered(failure) || beforeSending(failure);
    }

    private static boolean answered(Throwable failure) {
        return failure instanceof JedisDataException;
    }

    /** Thrown while a connection was being obtained: from the pool, by connecting, or by the connection's handshake. */
    private static boolean beforeSending(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoSuchElementException || cause instanceof java.net.ConnectException) {
                return true;
            }
            for (StackTraceElement frame : cause.getStackTrace()) {
                String type = frame.getClassName();
                if (type.startsWith("org.apache.commons.pool2.") || type.equals("redis.clients.jedis.ConnectionFactory")
                    || (type.equals("redis.clients.jedis.Connection")
                        && (frame.getMethodName().equals("connect")
                            || frame.getMethodName().equals("initializeFromClientConfig")))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Thrown while the command was written, before any of its reply was read: Redis never had it whole. */
    private static boolean whileWriting(Throwable failure) {
        boolean writing = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            for (StackTraceElement frame : cause.getStackTrace()) {
                String type = frame.getClassName();
                if (type.equals("redis.clients.jedis.util.RedisInputStream")) {
                    return false;
                }
                if (type.equals("redis.clients.jedis.util.RedisOutputStream")) {
                    writing = true;
                }
            }
        }
        return writing;
    }
}

package dev.braid.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script kept as a resource under {@code redis/}, called with EVALSHA so that it stays off the wire; a server
 * that does not have it (restarted, failed over, a cluster node that never ran it) answers NOSCRIPT without running
 * anything, and then EVAL sends it once. Every key a call touches is passed in {@code keys}: on a cluster they must
 * share one hash slot.
 */
record LuaScript(String name, String source, String sha) {

    static LuaScript load(String resource) {
        String source = RedisSharedStore.resource(resource);
        return new LuaScript(resource, source, sha1(source));
    }

    Object run(UnifiedJedis redis, List<String> keys, List<String> args) {
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(source, keys, args);
        }
    }

    /** Queues one call in {@code pipeline}; a NOSCRIPT reply means it did not run: call {@link #run} again then. */
    Response<Object> queue(AbstractPipeline pipeline, List<String> keys, List<String> args) {
        return pipeline.evalsha(sha, keys, args);
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                                                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}

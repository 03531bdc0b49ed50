package dev.braid.observe;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context {@code traceparent} (version 00). Braid does not trace by itself, but it joins the caller's trace:
 * each downstream call carries the same trace id with a fresh parent id, so the downstream's spans hang under the
 * caller's trace.
 */
public record TraceParent(String traceId, String parentId, String flags) {
    public static final String HEADER = "traceparent";
    private static final Pattern FORMAT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_PARENT = "0".repeat(16);

    /** Parses an incoming header; an invalid one is ignored, as the specification asks (the trace restarts here). */
    public static Optional<TraceParent> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        var match = FORMAT.matcher(header.trim().toLowerCase(Locale.ROOT));
        if (!match.matches() || ZERO_TRACE.equals(match.group(1)) || ZERO_PARENT.equals(match.group(2))) {
            return Optional.empty();
        }
        return Optional.of(new TraceParent(match.group(1), match.group(2), match.group(3)));
    }

    /** A new trace, not sampled: Braid starts no sampling decision of its own. */
    public static TraceParent startTrace() {
        return new TraceParent(randomHex(16), randomHex(8), "00");
    }

    /** The header for one outgoing call: same trace, new parent id, same flags. */
    public String childHeader() {
        return "00-" + traceId + "-" + randomHex(8) + "-" + flags;
    }

    public String header() {
        return "00-" + traceId + "-" + parentId + "-" + flags;
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        do {
            ThreadLocalRandom.current().nextBytes(random);
        } while (allZero(random));
        return HexFormat.of().formatHex(random);
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}

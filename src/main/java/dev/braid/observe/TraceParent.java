package dev.braid.observe;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A request's W3C Trace Context: {@code traceparent} (version 00) and {@code tracestate}. With tracing on it is the
 * request's server span; with tracing off it is the caller's context, passed on unchanged (the downstreams' spans then
 * hang under the caller's span, not under a span nobody exported), or a new unsampled trace when the caller sent none,
 * so that logs still carry a trace id.
 *
 * @param state the {@code tracestate} header, or {@code null}
 */
public record TraceParent(String traceId, String parentId, String flags, String state) {
    public static final String HEADER = "traceparent";
    public static final String STATE_HEADER = "tracestate";
    private static final Pattern FORMAT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    /** At most 32 list members of printable characters, 512 characters in all (the specification's limits). */
    private static final Pattern STATE = Pattern.compile("[\\x20-\\x7e&&[^\\s]][\\x20-\\x7e]{0,511}");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_PARENT = "0".repeat(16);

    public TraceParent(String traceId, String parentId, String flags) {
        this(traceId, parentId, flags, null);
    }

    /** Parses an incoming header; an invalid one is ignored, as the specification asks (the trace restarts here). */
    public static Optional<TraceParent> parse(String header) {
        return parse(header, null);
    }

    /** Parses incoming headers; an invalid {@code tracestate} is dropped, an invalid {@code traceparent} drops both. */
    public static Optional<TraceParent> parse(String header, String state) {
        if (header == null) {
            return Optional.empty();
        }
        var match = FORMAT.matcher(header.trim().toLowerCase(Locale.ROOT));
        if (!match.matches() || ZERO_TRACE.equals(match.group(1)) || ZERO_PARENT.equals(match.group(2))) {
            return Optional.empty();
        }
        String validState = state != null && STATE.matcher(state.trim()).matches()
                            && state.chars().filter(c -> c == ',').count() < 32 ? state.trim() : null;
        return Optional.of(new TraceParent(match.group(1), match.group(2), match.group(3), validState));
    }

    /** A new trace, not sampled: with tracing off Braid makes no sampling decision of its own. */
    public static TraceParent startTrace() {
        return new TraceParent(randomHex(16), randomHex(8), "00", null);
    }

    public boolean sampled() {
        return (HexFormat.fromHexDigits(flags) & 1) == 1;
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

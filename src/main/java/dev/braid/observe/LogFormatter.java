package dev.braid.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Braid's log format, {@code text} or {@code json} ({@code logging.format}), for every handler that names this class.
 * The request id and trace id come from the {@link RequestContext} bound on the logging thread, so every line a request
 * causes, in its handler or in a fan-out subtask, carries them ({@code -} outside requests).
 *
 * <ul>
 *   <li>{@code text}: {@code time level [request-id trace-id] logger: message}, a stack trace on the lines after.</li>
 *   <li>{@code json}: one object per line with {@code time}, {@code level}, {@code logger}, {@code thread},
 *       {@code message}, {@code request_id}, {@code trace_id}, {@code span_id} (the current recorded span's, when
 *       there is one) and {@code exception} (the whole stack trace in one string), for log pipelines that parse.</li>
 * </ul>
 */
public final class LogFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);
    private static volatile boolean json;

    /** Selects the format of every {@code LogFormatter}: {@code text} or {@code json}. */
    public static void use(String format) {
        json = "json".equals(format);
    }

    @Override
    public String format(LogRecord record) {
        return json ? json(record) : text(record);
    }

    private String text(LogRecord record) {
        StringBuilder line = new StringBuilder(200)
                .append(TIME.format(Instant.ofEpochMilli(record.getMillis())))
                .append(' ').append(record.getLevel().getName())
                .append(" [").append(RequestContext.currentRequestId())
                .append(' ').append(RequestContext.currentTraceId()).append("] ")
                .append(shortName(record.getLoggerName()))
                .append(": ").append(formatMessage(record))
                .append(System.lineSeparator());
        if (record.getThrown() != null) {
            line.append(stackTrace(record.getThrown()));
        }
        return line.toString();
    }

    private String json(LogRecord record) {
        StringBuilder line = new StringBuilder(320).append('{');
        field(line, "time", TIME.format(Instant.ofEpochMilli(record.getMillis())));
        field(line, "level", record.getLevel().getName());
        field(line, "logger", record.getLoggerName() == null ? "root" : record.getLoggerName());
        field(line, "thread", Thread.currentThread().getName());
        field(line, "message", formatMessage(record));
        String requestId = RequestContext.currentRequestId();
        if (!requestId.equals("-")) {
            field(line, "request_id", requestId);
            field(line, "trace_id", RequestContext.currentTraceId());
        }
        TraceSpan span = Spans.current();
        if (span.recording()) {
            field(line, "span_id", span.context().getSpanId());
        }
        if (record.getThrown() != null) {
            field(line, "exception", stackTrace(record.getThrown()));
        }
        line.setLength(line.length() - 1);
        return line.append('}').append(System.lineSeparator()).toString();
    }

    private static void field(StringBuilder line, String name, String value) {
        line.append('"').append(name).append("\":\"");
        escape(line, value == null ? "" : value);
        line.append("\",");
    }

    /** JSON string escaping: quotes, backslashes and every control character, so one record is always one line. */
    static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    private static String stackTrace(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    private static String shortName(String logger) {
        if (logger == null) {
            return "root";
        }
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }
}

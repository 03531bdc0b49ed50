package dev.braid.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenTelemetry collector's receiving end, as small as a test needs: {@code POST /v1/traces} with an OTLP/HTTP
 * protobuf {@code ExportTraceServiceRequest}, decoded field by field from the wire format (no generated classes), so
 * what it holds is exactly what an exporter put on the wire.
 */
public final class OtlpReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> resources = new CopyOnWriteArrayList<>();

    /** One span as exported: ids in hex, kind as OTLP numbers it (1 internal, 2 server, 3 client). */
    public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, int kind,
                               Map<String, String> attributes, int statusCode) {
        public boolean isRoot() {
            return parentSpanId.isEmpty();
        }
    }

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", this::receive);
        server.start();
    }

    /** The URL an exporter sends to. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    public List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    /** The resource attributes of every batch received. */
    public List<Map<String, String>> resources() {
        return List.copyOf(resources);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            byte[] bytes = body.readAllBytes();
            for (Field resourceSpans : fields(bytes)) {
                if (resourceSpans.number() == 1) {
                    resourceSpans(resourceSpans.bytes());
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private void resourceSpans(byte[] message) {
        for (Field field : fields(message)) {
            if (field.number() == 1) {
                Map<String, String> attributes = new LinkedHashMap<>();
                fields(field.bytes()).stream().filter(attribute -> attribute.number() == 1)
                        .forEach(attribute -> keyValue(attribute.bytes(), attributes));
                resources.add(attributes);
            } else if (field.number() == 2) {
                fields(field.bytes()).stream().filter(scoped -> scoped.number() == 2)
                        .forEach(span -> spans.add(span(span.bytes())));
            }
        }
    }

    private static ReceivedSpan span(byte[] message) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        int status = 0;
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Field field : fields(message)) {
            switch (field.number()) {
                case 1 -> traceId = HexFormat.of().formatHex(field.bytes());
                case 2 -> spanId = HexFormat.of().formatHex(field.bytes());
                case 4 -> parent = HexFormat.of().formatHex(field.bytes());
                case 5 -> name = new String(field.bytes(), java.nio.charset.StandardCharsets.UTF_8);
                case 6 -> kind = (int) field.value();
                case 9 -> keyValue(field.bytes(), attributes);
                case 15 -> status = (int) fields(field.bytes()).stream().filter(f -> f.number() == 3)
                        .mapToLong(Field::value).findFirst().orElse(0);
                default -> {
                    // timestamps, events, links, flags: not needed
                }
            }
        }
        return new ReceivedSpan(traceId, spanId, parent, name, kind, attributes, status);
    }

    /** A KeyValue: string, bool, int and double values as text. */
    private static void keyValue(byte[] message, Map<String, String> into) {
        String key = null;
        String value = null;
        for (Field field : fields(message)) {
            if (field.number() == 1) {
                key = new String(field.bytes(), java.nio.charset.StandardCharsets.UTF_8);
            } else if (field.number() == 2) {
                for (Field any : fields(field.bytes())) {
                    value = switch (any.number()) {
                        case 1 -> new String(any.bytes(), java.nio.charset.StandardCharsets.UTF_8);
                        case 2 -> String.valueOf(any.value() != 0);
                        case 3 -> String.valueOf(any.value());
                        case 4 -> String.valueOf(Double.longBitsToDouble(any.value()));
                        default -> value;
                    };
                }
            }
        }
        if (key != null) {
            into.put(key, value);
        }
    }

    /** One protobuf field: varint and fixed values in {@code value}, length-delimited ones in {@code bytes}. */
    private record Field(int number, long value, byte[] bytes) {
    }

    private static List<Field> fields(byte[] message) {
        List<Field> fields = new ArrayList<>();
        int[] at = {0};
        while (at[0] < message.length) {
            long tag = varint(message, at);
            int number = (int) (tag >>> 3);
            switch ((int) (tag & 7)) {
                case 0 -> fields.add(new Field(number, varint(message, at), null));
                case 1 -> {
                    long value = 0;
                    for (int i = 0; i < 8; i++) {
                        value |= (message[at[0] + i] & 0xffL) << (8 * i);
                    }
                    at[0] += 8;
                    fields.add(new Field(number, value, null));
                }
                case 2 -> {
                    int length = (int) varint(message, at);
                    byte[] bytes = java.util.Arrays.copyOfRange(message, at[0], at[0] + length);
                    at[0] += length;
                    fields.add(new Field(number, 0, bytes));
                }
                case 5 -> {
                    long value = 0;
                    for (int i = 0; i < 4; i++) {
                        value |= (message[at[0] + i] & 0xffL) << (8 * i);
                    }
                    at[0] += 4;
                    fields.add(new Field(number, value, null));
                }
                default -> throw new IllegalArgumentException("unexpected wire type in tag " + tag);
            }
        }
        return fields;
    }

    private static long varint(byte[] message, int[] at) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = message[at[0]++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.braid.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

import io.helidon.http.HeaderNames;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.webserver.http.ServerRequest;

/**
 * How answers are encoded: gzip when the client asks for it, else the bytes as they are. Braid decides and encodes
 * itself, in {@link Answers}: Helidon's own content coding copies every answer through a stream even when it ends up
 * sending it unchanged, and fails with an exception on a malformed {@code Accept-Encoding}. Here such a header counts as
 * not asking for any coding, which is all a client that sends it can have meant. Request bodies are never decoded: a
 * compressed body can inflate a thousandfold past the body limit ({@code Content-Encoding} on a request is a 400).
 */
public final class AnswerEncoding {
    private static final int MAX_HEADER = HeaderParameters.MAX_LENGTH;

    private AnswerEncoding() {
    }

    /** For Helidon: no content coding of its own on the API port. */
    public static ContentEncodingContext none() {
        return ContentEncodingContext.builder().contentEncodingsDiscoverServices(false).build();
    }

    /**
     * Whether the request's {@code Accept-Encoding} accepts gzip (RFC 9110 §12.5.3): named ({@code gzip},
     * {@code x-gzip}) or covered by {@code *} with a weight above 0. Absent, malformed or oversized: no.
     */
    static boolean gzipAccepted(ServerRequest req) {
        var values = HeaderParameters.values(req, HeaderNames.ACCEPT_ENCODING);
        if (values.isEmpty()) {
            return false;
        }
        String header = String.join(",", values);
        if (header.length() > MAX_HEADER) {
            return false;
        }
        Double gzip = null;
        Double any = null;
        for (String element : header.split(",")) {
            String[] parts = element.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            if (coding.isEmpty()) {
                continue;
            }
            double weight = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim();
                if (!parameter.regionMatches(true, 0, "q=", 0, 2)) {
                    return false;
                }
                Double parsed = weight(parameter.substring(2));
                if (parsed == null) {
                    return false;
                }
                weight = parsed;
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = weight;
            } else if (coding.equals("*")) {
                any = weight;
            }
        }
        return gzip != null ? gzip > 0 : any != null && any > 0;
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(Math.max(64, body.length / 3));
        try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing in memory cannot fail", e);
        }
        return compressed.toByteArray();
    }

    /** A qvalue: 0 to 1 with at most three decimals (RFC 9110 §12.4.2); anything else is {@code null}. */
    private static Double weight(String text) {
        if (!text.matches("0(\\.\\d{0,3})?|1(\\.0{0,3})?")) {
            return null;
        }
        return Double.parseDouble(text);
    }
}

package dev.braid.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;

/**
 * gzip for answers, never for requests. Helidon's own gzip module is not served at the Helidon version Braid runs on;
 * the encoding is a few lines of the JDK's {@link GZIPOutputStream}. Request bodies are not decoded: a compressed body
 * can inflate a thousandfold past the body limit, and no Braid client needs to send one ({@code Content-Encoding} on a
 * request is a 400).
 */
final class GzipEncoding implements ContentEncoding {
    private static final Set<String> IDS = Set.of("gzip", "x-gzip");

    @Override
    public Set<String> ids() {
        return IDS;
    }

    @Override
    public boolean supportsEncoding() {
        return true;
    }

    @Override
    public boolean supportsDecoding() {
        return false;
    }

    @Override
    public ContentDecoder decoder() {
        return ContentDecoder.NO_OP;
    }

    @Override
    public ContentEncoder encoder() {
        return new ContentEncoder() {
            @Override
            public OutputStream apply(OutputStream network) {
                try {
                    return new GZIPOutputStream(network);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start a gzip stream", e);
                }
            }

            @Override
            public void headers(WritableHeaders<?> headers) {
                headers.set(HeaderValues.create(HeaderNames.CONTENT_ENCODING, "gzip"));
                // The encoded length differs; Helidon sets the right one or chunks.
                headers.remove(HeaderNames.CONTENT_LENGTH);
            }
        };
    }

    @Override
    public String name() {
        return "gzip";
    }

    @Override
    public String type() {
        return "gzip";
    }
}

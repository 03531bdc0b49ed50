package dev.braid.http;

import java.util.NoSuchElementException;

import io.helidon.http.Headers;
import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.encoding.ContentEncodingContextConfig;

/**
 * How answers are encoded: gzip when asked for, else as they are. Helidon's negotiation fails with an exception on a
 * malformed {@code Accept-Encoding} (e.g. {@code ;}) while the answer is being written; here such a header counts as
 * not asking for any coding, which is all a client that sends it can have meant.
 */
public final class AnswerEncoding implements ContentEncodingContext {
    private final ContentEncodingContext gzip;

    private AnswerEncoding(ContentEncodingContext gzip) {
        this.gzip = gzip;
    }

    /** gzip for answers; no request body is ever decoded. */
    public static ContentEncodingContext create() {
        return new AnswerEncoding(ContentEncodingContext.builder()
                                          .contentEncodingsDiscoverServices(false)
                                          .addContentEncoding(new GzipEncoding())
                                          .build());
    }

    @Override
    public ContentEncoder encoder(Headers headers) {
        try {
            return gzip.encoder(headers);
        } catch (RuntimeException malformed) {
            return ContentEncoder.NO_OP;
        }
    }

    @Override
    public boolean contentEncodingEnabled() {
        return gzip.contentEncodingEnabled();
    }

    @Override
    public boolean contentDecodingEnabled() {
        return gzip.contentDecodingEnabled();
    }

    @Override
    public boolean contentEncodingSupported(String encodingId) {
        return gzip.contentEncodingSupported(encodingId);
    }

    @Override
    public boolean contentDecodingSupported(String encodingId) {
        return gzip.contentDecodingSupported(encodingId);
    }

    @Override
    public ContentEncoder encoder(String encodingId) throws NoSuchElementException {
        return gzip.encoder(encodingId);
    }

    @Override
    public ContentDecoder decoder(String encodingId) throws NoSuchElementException {
        return gzip.decoder(encodingId);
    }

    @Override
    public ContentEncodingContextConfig prototype() {
        return gzip.prototype();
    }
}

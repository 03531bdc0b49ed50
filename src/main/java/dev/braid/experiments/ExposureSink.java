package dev.braid.experiments;

import java.util.List;

/** Where exposures are kept (a Redis stream). Called by the {@link ExposureLog}'s one writer thread, never a request's. */
public interface ExposureSink {

    /**
     * Writes a batch, in one round trip when the store allows.
     *
     * @throws RuntimeException when the store did not take the batch: the log counts it as failed and goes on
     */
    void write(List<Exposure> batch);

    /**
     * No store at all (no Redis): every batch fails, so that {@code braid.exposures{result=failed}} says that exposures
     * are being lost rather than counting them as written.
     */
    static ExposureSink unavailable() {
        return batch -> {
            throw new IllegalStateException("no exposure store is configured");
        };
    }
}

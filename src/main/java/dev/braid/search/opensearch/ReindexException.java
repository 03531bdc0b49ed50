package dev.braid.search.opensearch;

/** A reindex or rollback that cannot be done as asked; the message says why and what was left as it was. */
public final class ReindexException extends RuntimeException {
    public ReindexException(String message) {
        super(message);
    }
}

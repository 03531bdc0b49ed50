package dev.braid.search.opensearch;

/**
 * What a reindex reports while it runs: the command prints it, tests look at the cluster from inside it. Calls come on
 * the loading thread, between bulk requests.
 */
public interface ReindexListener {

    /** The new index exists, with load settings, and nothing points at it yet. */
    default void created(String index) {
    }

    /** A bulk request finished: {@code documents} accepted so far out of {@code lines} read so far. */
    default void progress(long documents, long lines) {
    }

    /** A line that was skipped, or a document OpenSearch refused; each counts as one error. */
    default void rejected(Rejection rejection) {
    }

    /** Something that did not stop the reindex but needs a look, e.g. an old version that could not be deleted. */
    default void warning(String message) {
    }

    /**
     * @param line   1-based line number in the input
     * @param itemId the line's item_id, or empty when the line has none
     * @param reason why it was not loaded
     */
    record Rejection(long line, String itemId, String reason) {
    }
}

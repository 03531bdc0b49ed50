package dev.braid.recommend;

/** The settings of one configured candidate source; each kind of downstream has its own record. */
public interface SourceConfig {

    SourceId id();

    /** The kind that read it and makes its client. */
    SourceKind<?> kind();

    /** Whether it can re-rank a finished list for a user ({@code surfaces.<s>.rerank}). */
    default boolean reranks() {
        return false;
    }

    /**
     * Whether the source answers per user (an ML model of the user): such a source runs only for signed-in users unless
     * a plan says otherwise, and its answers are never remembered for anyone else.
     */
    default boolean perUser() {
        return false;
    }
}

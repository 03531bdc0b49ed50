package dev.braid.observe;

/**
 * What the handler of one request says about its answer, for the request's meters, its {@link RequestEvent} and its
 * span: how it turned out, where the answer came from, which sources were asked. Written and read on the request's
 * own thread (the filter's), so plain fields suffice.
 */
public final class RequestNotes {
    private final RequestEvent event;
    private AnswerOutcome outcome;
    private String cache;
    private String surface;
    private String sources;

    /** @param event the request's flight-recorder event, or {@code null} when it has none (the admin port) */
    public RequestNotes(RequestEvent event) {
        this.event = event;
    }

    /**
     * Whether a flight recording takes this request's event: details that cost something to write down
     * ({@link #sourcesAsked}) are only worth it then.
     */
    public boolean recording() {
        return event != null && event.isEnabled();
    }

    public void outcome(AnswerOutcome outcome) {
        this.outcome = outcome;
    }

    /** Where the answer came from: the envelope's {@code cache} value. */
    public void cache(String cache) {
        this.cache = cache;
    }

    public void surface(String surface) {
        this.surface = surface;
    }

    /** The sources asked and how each ended, {@code trending=ok,databricks=timeout}. */
    public void sourcesAsked(String sources) {
        this.sources = sources;
    }

    /** The handler's word, or {@code null} when it said nothing (the status says it all). */
    public AnswerOutcome outcome() {
        return outcome;
    }

    public String cache() {
        return cache;
    }

    public String surface() {
        return surface;
    }

    public String sourcesAsked() {
        return sources;
    }
}

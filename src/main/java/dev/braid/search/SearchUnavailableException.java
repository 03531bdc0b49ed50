package dev.braid.search;

/** The engine did not answer (down, slow, refusing, or the guard refused the call). The pipelines degrade on it. */
public final class SearchUnavailableException extends RuntimeException {
    public SearchUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

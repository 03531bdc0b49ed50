package dev.braid.catalog;

/** The catalog could not answer (down, slow, refusing). Callers degrade; they never pass this on as a 5xx for input. */
public final class CatalogUnavailableException extends RuntimeException {
    public CatalogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

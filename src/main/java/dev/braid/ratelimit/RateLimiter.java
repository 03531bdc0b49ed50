package dev.braid.ratelimit;

/** Decides whether a caller may make one more request of an endpoint class. */
public interface RateLimiter {

    /**
     * @param endpointClass one of {@link RateLimitConfig#CLASSES}
     * @param caller        who is asking: {@code u:<user>} or {@code a:<client address>}
     * @throws SharedCountUnavailableException when a shared count cannot be read or written now
     */
    RateDecision decide(String endpointClass, String caller);

    /** The shared count could not be consulted: the caller falls back to a local decision. */
    final class SharedCountUnavailableException extends RuntimeException {
        public SharedCountUnavailableException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}

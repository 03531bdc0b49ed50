package dev.braid.http;

/** A dependency this endpoint cannot do without is down: a 503 problem with Retry-After. */
public final class UnavailableProblem extends RuntimeException {
    public UnavailableProblem(String detail) {
        super(detail, null, false, false);
    }
}

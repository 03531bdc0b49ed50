package dev.braid.http;

/** A request body in a format the endpoint does not read: a 415 problem. */
public final class UnsupportedMediaTypeProblem extends RuntimeException {
    public UnsupportedMediaTypeProblem(String detail) {
        super(detail, null, false, false);
    }
}

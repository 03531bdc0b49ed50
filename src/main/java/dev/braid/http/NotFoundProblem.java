package dev.braid.http;

/** A resource (an item, a cursor's list) that does not exist: a 404 problem. */
public final class NotFoundProblem extends RuntimeException {
    public NotFoundProblem(String detail) {
        super(detail, null, false, false);
    }
}

package dev.braid.http;

/** A request whose {@code Accept} admits none of the representations the endpoint has: a 406 problem. */
public final class NotAcceptableProblem extends RuntimeException {
    public NotAcceptableProblem(String detail) {
        super(detail, null, false, false);
    }
}

package dev.braid.http;

/** A method the route does not answer: a 405 problem whose {@code Allow} header lists the ones it does. */
public final class MethodNotAllowedProblem extends RuntimeException {
    private final String allow;

    public MethodNotAllowedProblem(String method, String allow) {
        super(method + " is not allowed here; allowed: " + allow, null, false, false);
        this.allow = allow;
    }

    public String allow() {
        return allow;
    }
}

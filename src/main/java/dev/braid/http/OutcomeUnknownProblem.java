package dev.braid.http;

/**
 * A write whose store did not confirm it (the reply was lost or timed out, and asking again failed too): it may or may
 * not have been applied. A 504 problem, distinct from the 503 that promises nothing was applied.
 */
final class OutcomeUnknownProblem extends RuntimeException {
    OutcomeUnknownProblem(String detail) {
        super(detail, null, false, false);
    }
}

package dev.braid.http;

/**
 * A request parameter (query, path or header) that cannot be accepted: a 400 problem naming it.
 *
 * @see ProblemResponses
 */
public final class BadParameterException extends RuntimeException {
    private final String parameter;

    public BadParameterException(String parameter, String reason) {
        super(reason, null, false, false);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }

    public String reason() {
        return getMessage();
    }
}

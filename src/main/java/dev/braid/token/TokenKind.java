package dev.braid.token;

/**
 * What a token is, sealed inside it: a token is honoured only by the endpoint that issued it, and refused by any other
 * with where it came from. The one place the kinds are declared.
 */
public enum TokenKind {
    SEARCH_CURSOR(1, "/v1/search"),
    FEED_CURSOR(2, "/v1/feed"),
    LIST_CURSOR(3, "/v1/recommendations"),
    RECOMMENDATION_ID(4, "a recommendation id");

    private final byte wire;
    private final String issuer;

    TokenKind(int wire, String issuer) {
        this.wire = (byte) wire;
        this.issuer = issuer;
    }

    byte wire() {
        return wire;
    }

    /** Who issues tokens of this kind, for the messages that refuse them elsewhere. */
    public String issuer() {
        return issuer;
    }

    static TokenKind of(byte wire) {
        for (TokenKind kind : values()) {
            if (kind.wire == wire) {
                return kind;
            }
        }
        return null;
    }
}

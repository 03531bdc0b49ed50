package dev.braid.recommend.pipeline;

import java.time.Instant;

/**
 * Where a client is in one blended list: the list's version (so later pages come from the very list the first one was
 * cut from), the position of the next item, and whom and where the list was made for.
 *
 * @param binding   the surface and the user (or the anonymous segment) the list was made for
 * @param version   the list's version, under which it is kept
 * @param offset    the position in the list where the next page starts
 * @param expiresAt after this the cursor is refused
 */
public record ListCursor(String binding, String version, int offset, Instant expiresAt) {

    public ListCursor {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
    }
}

package dev.braid.search;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Where a walk through a result list stands: what it is bound to, the sort values of the last item served, and what
 * the next page needs to continue the same order. Travels to the client signed ({@link CursorCodec}).
 *
 * @param kind       which endpoint issued it; a cursor is never honoured by another
 * @param binding    digest of what the list depends on (query, filters, sort, user); see {@link #bind(String)}
 * @param expiresAt  after this the cursor is refused
 * @param after      the sort values of the last item served ({@code String}, {@code Long}, {@code Double} or
 *                   {@code Boolean}), for {@code search_after}
 * @param affinities the boosts the first page ranked with, so later pages rank the same way
 * @param origin     the instant recency is measured from (feeds), or {@code null}
 * @param snapshot   the point-in-time id the walk reads (feeds), or {@code null}
 * @param spelling   how the first page matched its words (searches), so later pages match them the same way
 */
public record Cursor(Kind kind, String binding, Instant expiresAt, List<Object> after, Affinities affinities,
                     Instant origin, String snapshot, Spelling spelling) {

    /** The endpoint a cursor belongs to. */
    public enum Kind {
        SEARCH, FEED
    }

    public Cursor {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(binding);
        Objects.requireNonNull(expiresAt);
        after = List.copyOf(after);
        for (Object value : after) {
            if (!(value instanceof String || value instanceof Long || value instanceof Double
                  || value instanceof Boolean)) {
                throw new IllegalArgumentException("unsupported sort value " + value.getClass().getSimpleName());
            }
        }
        Objects.requireNonNull(affinities);
        Objects.requireNonNull(spelling);
    }

    /** The binding of a list that depends on {@code canonical}: short, and revealing nothing of the query. */
    public static String bind(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

package dev.braid.recommend;

/**
 * One item proposed by one source.
 *
 * @param itemId the item id as the source names it (blending maps it to the catalog's id when configured to)
 * @param score  the source's own score (its scale is the source's; blending normalizes it), or {@link Double#NaN} for a
 *               source that only ranks
 * @param reason why the source proposed it in its own words (e.g. a Personalize promotion's name), or {@code null}: the
 *               source's {@link Explanation} then speaks for it
 * @param anchor the item the candidate resembles (a content source's "because you viewed"), or {@code null}
 */
public record Candidate(String itemId, double score, String reason, String anchor) {

    public Candidate {
        if (itemId == null || itemId.isBlank()) {
            throw new IllegalArgumentException("item id must not be blank");
        }
    }

    public Candidate(String itemId, double score, String reason) {
        this(itemId, score, reason, null);
    }

    public boolean scored() {
        return !Double.isNaN(score);
    }
}

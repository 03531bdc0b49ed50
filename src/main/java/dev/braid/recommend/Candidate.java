package dev.braid.recommend;

/**
 * One item proposed by one source.
 *
 * @param itemId the catalog item id
 * @param score  the source's own score (its scale is the source's; blending normalizes it), or {@link Double#NaN} for a
 *               source that only ranks
 * @param reason why the source proposed it, if the source says (e.g. "trending in Shoes"), or {@code null}
 */
public record Candidate(String itemId, double score, String reason) {

    public Candidate {
        if (itemId == null || itemId.isBlank()) {
            throw new IllegalArgumentException("item id must not be blank");
        }
    }

    public boolean scored() {
        return !Double.isNaN(score);
    }
}

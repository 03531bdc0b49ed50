package dev.braid.recommend.blend;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.Explanation;
import dev.braid.recommend.SourceId;

/**
 * One source's answer as blending sees it.
 *
 * @param candidates  best first
 * @param weight      the source's weight in the plan, multiplied into its normalized scores
 * @param explanation how the source's candidates are explained
 * @param canonicalId maps the source's item ids to the catalog's ({@code sku-1} → {@code 1}); returning null drops the
 *                    candidate (an id the catalog cannot have)
 */
public record Contribution(SourceId source, List<Candidate> candidates, double weight, Explanation explanation,
                           UnaryOperator<String> canonicalId) {

    public Contribution {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(explanation, "explanation");
        Objects.requireNonNull(canonicalId, "canonicalId");
        candidates = List.copyOf(candidates);
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("weight must be a finite number >= 0 (was " + weight + ")");
        }
    }

    /** A source that already names items by their catalog ids. */
    public Contribution(SourceId source, List<Candidate> candidates, double weight, Explanation explanation) {
        this(source, candidates, weight, explanation, UnaryOperator.identity());
    }
}

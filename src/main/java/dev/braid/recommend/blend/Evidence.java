package dev.braid.recommend.blend;

import java.util.Objects;

import dev.braid.recommend.Explanation;
import dev.braid.recommend.SourceId;

/**
 * Why one source proposed an item: what the explain step turns into words.
 *
 * @param explanation the source's kind of reason
 * @param stated      the source's own words for this item ({@link dev.braid.recommend.Candidate#reason()}), or null
 * @param anchor      the item this one resembles ({@link dev.braid.recommend.Candidate#anchor()}), or null
 */
public record Evidence(SourceId source, Explanation explanation, String stated, String anchor) {
    public Evidence {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(explanation, "explanation");
    }
}

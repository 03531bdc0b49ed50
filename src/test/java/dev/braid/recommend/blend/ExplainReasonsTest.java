package dev.braid.recommend.blend;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import dev.braid.catalog.CatalogItem;
import dev.braid.recommend.Explanation;
import dev.braid.recommend.SourceId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExplainReasonsTest {
    private static final CatalogItem SHOE = new CatalogItem("i1", "Trail Runner", "running-shoes", "Acme", BigDecimal.TEN,
                                                            true);
    private static final CatalogItem VIEWED = new CatalogItem("i9", "Road Racer", "running-shoes", "Acme", BigDecimal.TEN,
                                                              true);
    private final ExplainReasons explain = new ExplainReasons();

    private static BlendCandidate candidate(CatalogItem details, Evidence... evidence) {
        return new BlendCandidate("i1", 1, java.util.Arrays.stream(evidence).map(Evidence::source).toList(),
                                  List.of(evidence), details);
    }

    private static Evidence evidence(String source, Explanation explanation, String stated, String anchor) {
        return new Evidence(SourceId.of(source), explanation, stated, anchor);
    }

    @Test
    void eachKindOfSourceIsExplainedWithTheItemsOwnMetadata() {
        BlendCandidate found = candidate(SHOE, evidence("personalize", Explanation.FOR_YOU, null, null),
                                         evidence("trending", Explanation.TRENDING, null, null),
                                         evidence("content", Explanation.SIMILAR, null, "i9"));
        assertThat(explain.reasons(found, Map.of("i9", VIEWED)))
                .containsExactly("recommended for you", "trending in Running shoes", "because you viewed Road Racer");
    }

    @Test
    void aSourcesOwnWordsComeFirstAndNothingRepeats() {
        BlendCandidate found = candidate(SHOE, evidence("personalize", Explanation.FOR_YOU, "summer sale", null),
                                         evidence("databricks", Explanation.FOR_YOU, null, null));
        assertThat(explain.reasons(found, Map.of())).containsExactly("summer sale", "recommended for you");
    }

    @Test
    void withoutMetadataOrAnAnchorTheReasonsStayTrue() {
        BlendCandidate bare = candidate(null, evidence("popular", Explanation.POPULAR, null, null),
                                        evidence("content", Explanation.SIMILAR, null, "gone"),
                                        evidence("editorial", Explanation.EDITORIAL, null, null));
        assertThat(explain.reasons(bare, Map.of()))
                .containsExactly("popular right now", "similar to items you viewed", "editor's pick");
        BlendCandidate popularFromContent = candidate(SHOE, evidence("content", Explanation.SIMILAR, null, null));
        assertThat(explain.reasons(popularFromContent, Map.of())).containsExactly("popular in Running shoes");
    }
}

package dev.braid.search.opensearch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.braid.opensearch.BoundedCall;
import dev.braid.search.Affinities;
import dev.braid.search.FeedRequest;
import dev.braid.search.ItemField;
import dev.braid.search.SearchConfig;
import dev.braid.search.SearchFilters;
import dev.braid.search.SearchQuery;
import dev.braid.search.SearchSort;
import dev.braid.search.SearchTier;
import dev.braid.search.Spelling;

import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOptions;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.aggregations.Aggregation;
import org.opensearch.client.opensearch._types.query_dsl.FieldValueFactorModifier;
import org.opensearch.client.opensearch._types.query_dsl.FunctionBoostMode;
import org.opensearch.client.opensearch._types.query_dsl.FunctionScore;
import org.opensearch.client.opensearch._types.query_dsl.FunctionScoreMode;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch._types.query_dsl.TextQueryType;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.search.Pit;

/**
 * The request bodies of searches and feeds. Filters that narrow the result set sit in {@code bool.filter} (cached by
 * the engine, not scored); facet filters sit in {@code post_filter} while facets are counted, so that each facet is
 * counted with every filter but its own and a chosen category still shows its siblings. The user's text only ever
 * reaches a {@code multi_match}, where Lucene syntax is just text.
 */
final class SearchRequests {
    /** The fields the text is matched against, with their weights. */
    static final List<String> TEXT_FIELDS = List.of("title^3", "description");
    static final String FACET_VALUES = "values";
    private static final String ITEM_ID = "item_id";

    private final String alias;
    private final String routing;
    private final SearchConfig config;

    SearchRequests(String alias, String routing, SearchConfig config) {
        this.alias = alias;
        this.routing = routing;
        this.config = config;
    }

    SearchRequest search(SearchQuery query, Affinities affinities, List<Object> after, SearchTier tier,
                         Spelling spelling) {
        boolean full = tier == SearchTier.FULL;
        SearchFilters filters = query.filters();
        List<Query> narrowing = new ArrayList<>(priceRange(filters));
        if (!full) {
            // Without facets there is nothing to count beside the hits: every filter narrows, and is cached.
            narrowing.addAll(facetFilters(filters, null));
        }
        Query matching = Query.of(q -> q.bool(b -> b.must(text(query.text(), spelling)).filter(narrowing)));
        Query ranked = full ? personalized(matching, affinities, FunctionBoostMode.Multiply, List.of()) : matching;
        boolean cacheable = !full || affinities.isEmpty();
        return SearchRequest.of(s -> {
            s.index(alias).routing(routing).size(query.size() + 1).timeout(engineTimeout(tier))
                    .source(src -> src.filter(f -> f.includes(includes(query.fields()))))
                    .query(ranked).sort(sort(query.sort())).requestCache(cacheable);
            if (!after.isEmpty()) {
                s.searchAfter(values(after));
            }
            if (full) {
                List<Query> post = facetFilters(filters, null);
                if (!post.isEmpty()) {
                    s.postFilter(pf -> pf.bool(b -> b.filter(post)));
                }
                s.aggregations(facets(filters));
            }
            return s;
        });
    }

    SearchRequest feed(FeedRequest request, Duration keepAlive) {
        List<Query> narrowing = List.of(
                Query.of(q -> q.term(t -> t.field("in_stock").value(FieldValue.TRUE))),
                // Nothing published after the feed started: a walk without a point in time stays stable, and a
                // walk with one ranks with a clock that does not move.
                Query.of(q -> q.range(r -> r.field("published_at").lte(JsonData.of(request.origin().toString())))));
        Query base = Query.of(q -> q.bool(b -> b.filter(narrowing)));
        List<SortOptions> sort = new ArrayList<>();
        Query query = base;
        if (request.ranked()) {
            query = personalized(base, request.affinities(), FunctionBoostMode.Replace,
                                 List.of(recency(request.origin())));
            sort.add(SortOptions.of(o -> o.score(sc -> sc.order(SortOrder.Desc))));
        }
        sort.add(field("published_at", SortOrder.Desc));
        sort.add(field(ITEM_ID, SortOrder.Asc));
        Query ranked = query;
        return SearchRequest.of(s -> {
            if (request.ranked()) {
                s.pit(new Pit.Builder().id(request.snapshot()).keepAlive(BoundedCall.millis(keepAlive)).build());
            } else {
                s.index(alias).routing(routing);
            }
            s.size(request.size() + 1).timeout(engineTimeout(request.ranked() ? SearchTier.FULL : SearchTier.SIMPLIFIED))
                    .trackTotalHits(t -> t.enabled(false))
                    .source(src -> src.filter(f -> f.includes(includes(request.fields())))).query(ranked).sort(sort);
            if (!request.after().isEmpty()) {
                s.searchAfter(values(request.after()));
            }
            return s;
        });
    }

    /**
     * OpenSearch's own time limit: the tier's configured timeout, not the time left, so that the same search always has
     * the same body and the shard request cache can answer it (the client gives up at the time left anyway).
     */
    private String engineTimeout(SearchTier tier) {
        return BoundedCall.millis(tier == SearchTier.FULL ? config.guard().attemptTimeout() : config.simplifiedTimeout());
    }

    /**
     * {@code 1 + popularity + affinity boosts (+ extra)} as a function score: items of the user's favourite categories
     * and brands rise in proportion to how strong the affinity is compared with their strongest one.
     */
    private Query personalized(Query query, Affinities affinities, FunctionBoostMode boostMode, List<FunctionScore> extra) {
        SearchConfig.Boosts boosts = config.boosts();
        List<FunctionScore> functions = new ArrayList<>();
        functions.add(FunctionScore.of(f -> f.filter(q -> q.matchAll(m -> m)).weight(1f)));
        if (boosts.popularity() > 0) {
            functions.add(FunctionScore.of(f -> f.fieldValueFactor(v -> v.field("popularity")
                    .modifier(FieldValueFactorModifier.Log1p).missing(0.0)).weight((float) boosts.popularity())));
        }
        addAffinities(functions, "category", affinities.categories(), boosts.category());
        addAffinities(functions, "brand", affinities.brands(), boosts.brand());
        functions.addAll(extra);
        return Query.of(q -> q.functionScore(fs -> fs.query(query).functions(functions).scoreMode(FunctionScoreMode.Sum)
                .boostMode(boostMode)));
    }

    private static void addAffinities(List<FunctionScore> functions, String field, Map<String, Double> weights,
                                      double boost) {
        double strongest = weights.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        if (boost <= 0 || strongest <= 0) {
            return;
        }
        // Sorted, so the same affinities always produce the same body.
        weights.keySet().stream().sorted().forEach(value -> {
            float weight = (float) (boost * weights.get(value) / strongest);
            functions.add(FunctionScore.of(f -> f.filter(q -> q.term(t -> t.field(field).value(FieldValue.of(value))))
                    .weight(weight)));
        });
    }

    private FunctionScore recency(Instant origin) {
        double weight = config.boosts().recency();
        return FunctionScore.of(f -> f.gauss(g -> g.field("published_at").placement(p -> p
                .origin(JsonData.of(origin.toString()))
                .scale(JsonData.of(config.recencyScale().toHours() + "h"))
                .decay(0.5))).weight((float) weight));
    }

    private static Query text(String text, Spelling spelling) {
        if (text == null) {
            return Query.of(q -> q.matchAll(m -> m));
        }
        if (spelling == Spelling.EXACT || !Spelling.forgivable(text)) {
            // Every word of a long query expands into fuzzy variants across every field: most of a search's cost. A long
            // query has words enough to match without forgiving typos.
            return Query.of(q -> q.multiMatch(m -> m.query(text).fields(TEXT_FIELDS).type(TextQueryType.BestFields)
                    .minimumShouldMatch("2<75%")));
        }
        return Query.of(q -> q.multiMatch(m -> m.query(text).fields(TEXT_FIELDS).type(TextQueryType.BestFields)
                // Most words must match; one typo per word of five letters or more is forgiven.
                .minimumShouldMatch("2<75%").fuzziness("AUTO").prefixLength(1).maxExpansions(20)));
    }

    private static List<Query> priceRange(SearchFilters filters) {
        if (filters.priceMin() == null && filters.priceMax() == null) {
            return List.of();
        }
        return List.of(Query.of(q -> q.range(r -> {
            r.field("price");
            if (filters.priceMin() != null) {
                r.gte(JsonData.of(filters.priceMin()));
            }
            if (filters.priceMax() != null) {
                r.lte(JsonData.of(filters.priceMax()));
            }
            return r;
        })));
    }

    /** A terms filter per facet field that has values, except {@code except}. */
    private static List<Query> facetFilters(SearchFilters filters, String except) {
        List<Query> queries = new ArrayList<>();
        filters.terms().forEach((field, values) -> {
            if (!field.equals(except)) {
                List<FieldValue> terms = values.stream().map(FieldValue::of).toList();
                queries.add(Query.of(q -> q.terms(t -> t.field(field).terms(v -> v.value(terms)))));
            }
        });
        return queries;
    }

    /** Per facet: the values among the hits of every filter but the facet's own. */
    private Map<String, Aggregation> facets(SearchFilters filters) {
        Map<String, Aggregation> facets = new LinkedHashMap<>();
        for (String facet : SearchFilters.FACETS) {
            List<Query> others = facetFilters(filters, facet);
            facets.put(facet, Aggregation.of(a -> a
                    .filter(f -> others.isEmpty() ? f.matchAll(m -> m) : f.bool(b -> b.filter(others)))
                    .aggregations(FACET_VALUES, v -> v.terms(t -> t.field(facet).size(config.facetSize())))));
        }
        return facets;
    }

    private static List<SortOptions> sort(SearchSort sort) {
        SortOptions first = switch (sort) {
            case RELEVANCE -> SortOptions.of(o -> o.score(sc -> sc.order(SortOrder.Desc)));
            case NEWEST -> field("published_at", SortOrder.Desc);
            case POPULAR -> field("popularity", SortOrder.Desc);
            case PRICE_ASC -> field("price", SortOrder.Asc);
            case PRICE_DESC -> field("price", SortOrder.Desc);
        };
        // The item id breaks every tie, so search_after never skips or repeats items with equal sort values.
        return List.of(first, field(ITEM_ID, SortOrder.Asc));
    }

    private static SortOptions field(String name, SortOrder order) {
        return SortOptions.of(o -> o.field(f -> f.field(name).order(order)));
    }

    static List<String> includes(Set<ItemField> fields) {
        return Stream.concat(Stream.of(ItemField.ITEM_ID), fields.stream()).map(ItemField::wireName).distinct().sorted()
                .toList();
    }

    static List<FieldValue> values(List<Object> after) {
        return after.stream().map(value -> switch (value) {
            case String text -> FieldValue.of(text);
            case Long number -> FieldValue.of(number);
            case Double number -> FieldValue.of(number);
            case Boolean flag -> FieldValue.of(flag);
            default -> throw new IllegalArgumentException("unsupported sort value " + value);
        }).toList();
    }
}

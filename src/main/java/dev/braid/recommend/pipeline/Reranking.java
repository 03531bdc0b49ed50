package dev.braid.recommend.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.Reranker;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceReport;
import dev.braid.recommend.SourceStatus;
import dev.braid.recommend.blend.BlendCandidate;

/**
 * Re-orders a filtered pool with the plan's re-ranker (Personalize's personalized ranking) in the time the fan-out
 * left. Items it ranks come first, in its order; items it left out follow in blended order. The pool's scores are dealt
 * out again in the new order, so diversification afterwards weighs relevance as the re-ranker sees it. When it fails,
 * the blended order stands and the report says how it failed.
 */
final class Reranking {
    private final GuardedSource reranker;

    Reranking(GuardedSource reranker) {
        this.reranker = reranker;
    }

    /** The pool in its new order, and how the call went. */
    record Result(List<BlendCandidate> items, SourceReport report) {
    }

    Result rerank(CandidateQuery query, List<BlendCandidate> pool) {
        long started = System.nanoTime();
        try {
            List<String> ids = pool.stream().map(BlendCandidate::itemId).limit(Reranker.MAX_ITEMS).toList();
            CandidateBatch ranking = reranker.rerank(query, ids);
            Map<String, BlendCandidate> byId = new LinkedHashMap<>();
            pool.forEach(candidate -> byId.put(candidate.itemId(), candidate));
            List<BlendCandidate> order = new ArrayList<>(pool.size());
            for (Candidate ranked : ranking.candidates()) {
                BlendCandidate candidate = byId.remove(ranked.itemId());
                if (candidate != null) {
                    order.add(candidate);
                }
            }
            order.addAll(byId.values());
            return new Result(rescored(order, pool), new SourceReport(reranker.id(), SourceStatus.OK, since(started),
                                                                      ranking.candidates().size()));
        } catch (SourceException e) {
            return new Result(pool, new SourceReport(reranker.id(), e.status(), since(started), 0));
        }
    }

    /** {@code order} with the pool's scores, highest first, dealt out by position. */
    private static List<BlendCandidate> rescored(List<BlendCandidate> order, List<BlendCandidate> pool) {
        List<Double> scores = pool.stream().map(BlendCandidate::score).sorted(Comparator.reverseOrder()).toList();
        List<BlendCandidate> rescored = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            BlendCandidate candidate = order.get(i);
            rescored.add(new BlendCandidate(candidate.itemId(), scores.get(i), candidate.sources(), candidate.evidence(),
                                            candidate.details()));
        }
        return rescored;
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}

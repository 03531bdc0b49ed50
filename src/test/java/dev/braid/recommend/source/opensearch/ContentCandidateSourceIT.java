package dev.braid.recommend.source.opensearch;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.braid.OpenSearchClients;
import dev.braid.config.HttpClientConfig;
import dev.braid.config.OpenSearchConfig;
import dev.braid.dev.DemoCatalog;
import dev.braid.dev.DemoCatalogLoader;
import dev.braid.recommend.Candidate;
import dev.braid.recommend.CandidateBatch;
import dev.braid.recommend.CandidateQuery;
import dev.braid.recommend.RecommendationRequest;
import dev.braid.recommend.SourceException;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceStatus;
import dev.braid.recommend.UserHistory;
import dev.braid.resilience.Deadline;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.OpenSearchExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opensearch.client.opensearch.OpenSearchClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The content-based source against a real OpenSearch node holding the demo catalog, with faults injected in between. */
@ExtendWith(OpenSearchExtension.class)
class ContentCandidateSourceIT {
    private static final String ALIAS = "content-it";
    private static final List<DemoCatalog.Item> ITEMS = DemoCatalog.generate(1000, 23);
    private static final Map<String, DemoCatalog.Item> BY_ID = ITEMS.stream()
            .collect(Collectors.toMap(DemoCatalog.Item::itemId, Function.identity()));
    private static final Duration SLACK = Duration.ofSeconds(1);
    /** Five in-stock items of one category, newest first: what u1 looked at. */
    private static final List<String> HISTORY = ITEMS.stream()
            .filter(item -> item.inStock() && item.category().equals(ITEMS.getFirst().category()))
            .limit(5).map(DemoCatalog.Item::itemId).toList();
    private static final UserHistory HISTORIES = (user, n) -> "u1".equals(user) ? HISTORY.subList(0, Math.min(n, 5)) : List.of();

    private static FaultProxy proxy;
    private static OpenSearchClient client;
    private static OpenSearchClient singleConnection;

    @BeforeAll
    static void load(EmbeddedOpenSearch openSearch) throws Exception {
        OpenSearchClient direct = OpenSearchClients.create(config(openSearch.uri(), 8));
        DemoCatalogLoader.load(direct, ALIAS, ITEMS);
        direct._transport().close();
        proxy = FaultProxy.start("opensearch", new InetSocketAddress("127.0.0.1", openSearch.httpPort()), 0);
        client = OpenSearchClients.create(config(URI.create("http://127.0.0.1:" + proxy.port()), 8));
        singleConnection = OpenSearchClients.create(config(URI.create("http://127.0.0.1:" + proxy.port()), 1));
    }

    @AfterAll
    static void close() throws Exception {
        client._transport().close();
        singleConnection._transport().close();
        proxy.close();
    }

    @AfterEach
    void heal() {
        proxy.reset();
    }

    @Test
    void withHistoryItProposesSimilarInStockItemsButNotTheHistoryNorTheExcluded() {
        ContentCandidateSource source = source(client, Duration.ofSeconds(5));
        String excluded = similarTo(HISTORY).getFirst();

        CandidateBatch batch = source.fetch(query("u1", Set.of(excluded), 30, Duration.ofSeconds(5)));

        List<Candidate> candidates = batch.candidates();
        assertThat(candidates).hasSize(30);
        assertThat(candidates).extracting(Candidate::itemId).doesNotContainAnyElementsOf(HISTORY).doesNotContain(excluded)
                .doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(BY_ID.get(id).inStock()).as("%s in stock", id).isTrue());
        // The explain step words it from the anchor, the newest item of the history; the source says nothing itself.
        assertThat(candidates).extracting(Candidate::anchor).containsOnly(HISTORY.getFirst());
        assertThat(candidates).extracting(Candidate::reason).containsOnlyNulls();
        assertThat(candidates).extracting(Candidate::score).isSortedAccordingTo(Comparator.reverseOrder())
                .allSatisfy(score -> assertThat(score).isPositive());
        // The history is one category: the best matches share it, or at least a brand of the history.
        Set<String> categories = HISTORY.stream().map(id -> BY_ID.get(id).category()).collect(Collectors.toSet());
        Set<String> brands = HISTORY.stream().map(id -> BY_ID.get(id).brand()).collect(Collectors.toSet());
        assertThat(candidates.subList(0, 10)).extracting(Candidate::itemId)
                .allSatisfy(id -> assertThat(categories.contains(BY_ID.get(id).category()) || brands.contains(BY_ID.get(id).brand()))
                        .as("%s shares a category or brand with the history", id).isTrue());
        long sameCategory = candidates.stream().filter(c -> categories.contains(BY_ID.get(c.itemId()).category())).count();
        assertThat(sameCategory).isGreaterThanOrEqualTo(candidates.size() * 2L / 3);
    }

    @Test
    void withoutHistoryItProposesThePopularInStockItems() {
        ContentCandidateSource source = source(client, Duration.ofSeconds(5));
        List<String> popular = ITEMS.stream().filter(DemoCatalog.Item::inStock)
                .sorted(Comparator.comparingDouble((DemoCatalog.Item item) -> (float) item.popularity()).reversed()
                                .thenComparing(DemoCatalog.Item::itemId))
                .map(DemoCatalog.Item::itemId).toList();

        CandidateBatch forNewUser = source.fetch(query("u-new", Set.of(popular.getFirst()), 10, Duration.ofSeconds(5)));
        CandidateBatch forAnonymous = source.fetch(query(null, Set.of(), 10, Duration.ofSeconds(5)));

        assertThat(forNewUser.candidates()).extracting(Candidate::itemId).containsExactlyElementsOf(popular.subList(1, 11));
        assertThat(forNewUser.candidates()).extracting(Candidate::reason).containsOnlyNulls();
        assertThat(forNewUser.candidates()).extracting(Candidate::anchor).containsOnlyNulls();
        assertThat(forNewUser.candidates().getFirst().score()).isCloseTo(BY_ID.get(popular.get(1)).popularity(), within(0.01));
        assertThat(forAnonymous.candidates()).extracting(Candidate::itemId).containsExactlyElementsOf(popular.subList(0, 10));
    }

    @Test
    void aHungClusterEndsInTimeoutAtTheDeadline() {
        ContentCandidateSource source = source(client, Duration.ofSeconds(5));
        proxy.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);
        Duration budget = Duration.ofMillis(200);

        long started = System.nanoTime();
        assertThatThrownBy(() -> source.fetch(query("u1", Set.of(), 10, budget)))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.status()).isEqualTo(SourceStatus.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(budget.plus(SLACK));
    }

    @Test
    void aDownClusterIsATransientError() {
        ContentCandidateSource source = source(client, Duration.ofSeconds(5));
        proxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);

        assertThatThrownBy(() -> source.fetch(query("u1", Set.of(), 10, Duration.ofSeconds(2))))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.status()).isEqualTo(SourceStatus.ERROR);
                    assertThat(e.retryable()).isTrue();
                });
    }

    @Test
    void aMissingIndexIsAnErrorNoRetryFixes() {
        ContentCandidateSource source = new ContentCandidateSource(
                new ContentConfig(SourceId.of("content"), "no-such-index", 10, Duration.ofSeconds(5)), client, HISTORIES);

        assertThatThrownBy(() -> source.fetch(query(null, Set.of(), 10, Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.status()).isEqualTo(SourceStatus.ERROR);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e).hasMessageContaining("404");
                });
    }

    @Test
    void anInterruptedCallReturnsPromptlyAndItsConnectionIsReleasedByItsOwnLimit() throws Exception {
        // One pooled connection: a second call can only connect once the abandoned call has given its connection back.
        ContentCandidateSource source = source(singleConnection, Duration.ofSeconds(1));
        proxy.mode(FaultMode.HANG, Duration.ZERO, Duration.ZERO);

        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread call = Thread.ofVirtual().start(() -> {
            try {
                source.fetch(query("u1", Set.of(), 10, Duration.ofSeconds(30)));
            } catch (RuntimeException e) {
                failure.set(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        awaitRequestSent();
        long interrupted = System.nanoTime();
        call.interrupt();
        assertThat(call.join(SLACK)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(SLACK);
        assertThat(failure.get()).isInstanceOfSatisfying(SourceException.class,
                                                         e -> assertThat(e.status()).isEqualTo(SourceStatus.TIMEOUT));
        assertThat(stillInterrupted).isTrue();

        // Still hanging: a call allowed 3 s gets the one connection only once the abandoned call hit its own 1 s limit,
        // and opens a new one (a timed-out exchange is never reused); were it never released, nothing would connect.
        ContentCandidateSource patient = source(singleConnection, Duration.ofSeconds(5));
        assertThatThrownBy(() -> patient.fetch(query("u1", Set.of(), 10, Duration.ofSeconds(3))))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.status()).isEqualTo(SourceStatus.TIMEOUT));
        assertThat(proxy.requests()).isEqualTo(2);
    }

    /** Bounded wait for the hung call's connection to reach the proxy (so the interrupt hits a call in flight). */
    private static void awaitRequestSent() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (proxy.requests() < 1 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(proxy.requests()).isEqualTo(1);
    }

    private static List<String> similarTo(List<String> history) {
        return source(client, Duration.ofSeconds(5)).fetch(query("u1", Set.of(), 5, Duration.ofSeconds(5))).candidates()
                .stream().map(Candidate::itemId).filter(id -> !history.contains(id)).toList();
    }

    private static ContentCandidateSource source(OpenSearchClient client, Duration timeout) {
        return new ContentCandidateSource(new ContentConfig(SourceId.of("content"), ALIAS, 10, timeout), client, HISTORIES);
    }

    private static CandidateQuery query(String user, Set<String> exclude, int limit, Duration budget) {
        return new CandidateQuery(new RecommendationRequest(user, "home", limit, exclude, null, null, null), limit,
                                  Deadline.after(budget));
    }

    private static OpenSearchConfig config(URI url, int maxConnections) {
        return new OpenSearchConfig(url, "", "", new HttpClientConfig(Duration.ofMillis(500), Duration.ofSeconds(10),
                                                                      maxConnections, Duration.ofMillis(200)));
    }
}

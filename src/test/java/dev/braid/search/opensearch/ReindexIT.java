package dev.braid.search.opensearch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.braid.OpenSearchClients;
import dev.braid.config.HttpClientConfig;
import dev.braid.config.OpenSearchConfig;
import dev.braid.testing.EmbeddedOpenSearch;
import dev.braid.testing.OpenSearchExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.opensearch.indices.IndexSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reindexing against a real node: what the alias serves before, during and after a load, and what is left behind. */
@ExtendWith(OpenSearchExtension.class)
class ReindexIT {
    private static final AtomicInteger ALIASES = new AtomicInteger();
    private static OpenSearchClient client;
    private static EmbeddedOpenSearch node;

    @BeforeAll
    static void connect(EmbeddedOpenSearch openSearch) {
        node = openSearch;
        client = newClient();
    }

    private static OpenSearchClient newClient() {
        HttpClientConfig http = new HttpClientConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), 4, Duration.ofSeconds(5));
        return OpenSearchClients.forBulkLoads(new OpenSearchConfig(node.uri(), "", "", http));
    }

    @AfterAll
    static void close() throws IOException {
        client._transport().close();
    }

    @Test
    void aFirstLoadCreatesTheAliasOnANewVersionWithTheRepositorysSettings() throws IOException {
        String alias = newAlias();
        Recorder recorder = new Recorder();
        List<String> refreshDuringLoad = new ArrayList<>();
        recorder.onProgress = () -> refreshDuringLoad.add(refreshInterval(recorder.created));

        ReindexResult result = reindexer(alias, recorder).load(
                lines(doc("a1", "Trail Running Sneakers"), doc("a2", "Classic Leather Boots"), doc("a3", "Urban Backpack")),
                new Reindexer.Options(2, 0, 3));

        assertThat(result).isInstanceOf(ReindexResult.Swapped.class);
        ReindexResult.Swapped swapped = (ReindexResult.Swapped) result;
        assertThat(swapped.index()).matches(alias + "-\\d{8}-\\d{6}-\\d{3}").isEqualTo(recorder.created);
        assertThat(swapped.previous()).isEmpty();
        assertThat(swapped.documents()).isEqualTo(3);
        assertThat(swapped.errors()).isZero();
        assertThat(targets(alias)).containsExactly(swapped.index());
        assertThat(client.count(c -> c.index(alias)).count()).isEqualTo(3);
        assertThat(ids(alias)).containsExactlyInAnyOrder("a1", "a2", "a3");
        // "sneaker" finds "Sneakers" only through the file's stemming analyzer: the analysis settings were applied.
        assertThat(client.search(s -> s.index(alias).query(q -> q.match(m -> m.field("title")
                                         .query(v -> v.stringValue("sneaker")))), Object.class).hits().hits())
                .extracting(Hit::id).containsExactly("a1");
        assertThat(refreshDuringLoad).isNotEmpty().containsOnly("-1");
        assertThat(refreshInterval(swapped.index())).isEqualTo("1s");
        assertThat(replicas(swapped.index())).isEqualTo("0");
        assertThat(recorder.rejections).isEmpty();
    }

    @Test
    void badLinesAreSkippedWithTheirLineNumbersAndTheAliasServesTheOldIndexUntilTheNewOneIsComplete() throws IOException {
        String alias = newAlias();
        String old = loaded(alias, doc("o1", "Old One"), doc("o2", "Old Two"), doc("o3", "Old Three"));
        Recorder recorder = new Recorder();
        List<Set<String>> servedDuringLoad = new ArrayList<>();
        recorder.onProgress = () -> {
            servedDuringLoad.add(ids(alias));
            assertThat(targets(alias)).containsExactly(old);
        };

        ReindexResult result = reindexer(alias, recorder).load(lines(
                doc("n1", "New One"),                          // 1
                doc("n2", "New Two"),                          // 2: the first batch is sent here
                "this is not json",                            // 3
                "{\"title\": \"no item id\"}",                 // 4
                doc("n3", "New Three"),                        // 5
                "{\"item_id\": \"n4\", \"colour\": \"red\"}",  // 6: refused by the strict mapping
                "[1, 2]",                                      // 7
                doc("n5", "New Five"),                         // 8
                "",                                            // 9: blank, tolerated
                doc("n6", "New Six"),                          // 10
                doc("n1", "New One again")),                   // 11: refused, n1 exists
                new Reindexer.Options(2, 10, 3));

        assertThat(servedDuringLoad).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(served -> assertThat(served).containsExactlyInAnyOrder("o1", "o2", "o3"));
        assertThat(recorder.rejections).extracting(ReindexListener.Rejection::line).containsExactly(3L, 4L, 6L, 7L, 11L);
        assertThat(recorder.rejections.get(2).itemId()).isEqualTo("n4");
        assertThat(recorder.rejections.get(2).reason()).contains("strict_dynamic_mapping_exception");
        assertThat(recorder.rejections.get(4).itemId()).isEqualTo("n1");
        assertThat(recorder.rejections.get(0).reason()).startsWith("not JSON");
        assertThat(recorder.rejections.get(1).reason()).contains("item_id");
        assertThat(result).isInstanceOf(ReindexResult.Swapped.class);
        ReindexResult.Swapped swapped = (ReindexResult.Swapped) result;
        assertThat(swapped.documents()).isEqualTo(5);
        assertThat(swapped.errors()).isEqualTo(5);
        assertThat(swapped.previous()).containsExactly(old);
        assertThat(targets(alias)).containsExactly(swapped.index());
        assertThat(ids(alias)).containsExactlyInAnyOrder("n1", "n2", "n3", "n5", "n6");
        assertThat(exists(old)).as("the old version is kept for rollback").isTrue();
    }

    @Test
    void tooManyErrorsDeleteTheNewIndexAndLeaveTheAliasAlone() throws IOException {
        String alias = newAlias();
        String old = loaded(alias, doc("o1", "Old One"));

        ReindexResult badLine = reindexer(alias, new Recorder())
                .load(lines(doc("n1", "New One"), "oops", doc("n2", "New Two")), new Reindexer.Options(500, 0, 3));
        ReindexResult refused = reindexer(alias, new Recorder()).load(
                lines(doc("n1", "New One"), "{\"item_id\": \"n2\", \"colour\": \"red\"}"), new Reindexer.Options(500, 0, 3));

        for (ReindexResult result : List.of(badLine, refused)) {
            assertThat(result).isInstanceOf(ReindexResult.Aborted.class);
            ReindexResult.Aborted aborted = (ReindexResult.Aborted) result;
            assertThat(aborted.reason()).contains("more than 0 errors");
            assertThat(aborted.errors()).isEqualTo(1);
            assertThat(exists(aborted.index())).isFalse();
        }
        assertThat(targets(alias)).containsExactly(old);
        assertThat(ids(alias)).containsExactly("o1");
        assertThat(versions(alias)).containsExactly(old);
    }

    @Test
    void rollbackMovesTheAliasToTheVersionBeforeAndRefusesWhenThereIsNone() throws IOException {
        String alias = newAlias();
        assertThatThrownBy(() -> reindexer(alias, new Recorder()).rollback())
                .isInstanceOf(ReindexException.class).hasMessageContaining("there is no alias");
        String first = loaded(alias, doc("a1", "First"));
        String second = loaded(alias, doc("b1", "Second"));

        Reindexer.Rollback rollback = reindexer(alias, new Recorder()).rollback();

        assertThat(rollback).isEqualTo(new Reindexer.Rollback(second, first));
        assertThat(targets(alias)).containsExactly(first);
        assertThat(ids(alias)).containsExactly("a1");
        assertThat(exists(second)).isTrue();
        assertThatThrownBy(() -> reindexer(alias, new Recorder()).rollback())
                .isInstanceOf(ReindexException.class).hasMessageContaining("no version of '" + alias + "' older than " + first);
        assertThat(targets(alias)).containsExactly(first);
    }

    @Test
    void aConcreteIndexWithTheAliasNameIsRefusedAndNothingChanges() throws IOException {
        String alias = newAlias();
        client.indices().create(c -> c.index(alias));

        assertThatThrownBy(() -> reindexer(alias, new Recorder()).load(lines(doc("n1", "New")), Reindexer.Options.DEFAULTS))
                .isInstanceOf(ReindexException.class).hasMessageContaining("'" + alias + "' is a concrete index");
        assertThatThrownBy(() -> reindexer(alias, new Recorder()).rollback())
                .isInstanceOf(ReindexException.class).hasMessageContaining("concrete index");

        assertThat(client.indices().get(g -> g.index(alias + "*")).result().keySet()).containsExactly(alias);
        assertThat(client.indices().existsAlias(e -> e.name(alias)).value()).isFalse();
    }

    @Test
    void keepDeletesTheOldestVersionsButNeverTheOneTheAliasLeft() throws IOException {
        String alias = newAlias();
        List<String> old = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            old.add(alias + "-20200101-000000-00" + i);
        }
        String notAVersion = alias + "-v1";
        String otherAliasVersion = alias + "-eu-20200101-000000-001";
        for (String index : concat(old, List.of(notAVersion, otherAliasVersion))) {
            client.indices().create(c -> c.index(index));
        }
        // The alias sits on the second oldest: after the swap it is "the one before", kept although beyond --keep.
        client.indices().updateAliases(u -> u.actions(a -> a.add(add -> add.index(old.get(1)).alias(alias))));

        ReindexResult result = reindexer(alias, new Recorder()).load(lines(doc("n1", "New")), new Reindexer.Options(500, 0, 2));

        assertThat(result).isInstanceOf(ReindexResult.Swapped.class);
        ReindexResult.Swapped swapped = (ReindexResult.Swapped) result;
        assertThat(swapped.deleted()).containsExactly(old.get(3), old.get(2), old.get(0));
        assertThat(versions(alias)).containsExactly(swapped.index(), old.get(4), old.get(1));
        assertThat(exists(notAVersion)).isTrue();
        assertThat(exists(otherAliasVersion)).isTrue();
        assertThat(targets(alias)).containsExactly(swapped.index());
    }

    @Test
    void theCommandPrintsProgressAndReportsLinesAndExitsByOutcome(@TempDir Path dir) throws IOException {
        String alias = newAlias();
        Path good = Files.write(dir.resolve("good.jsonl"), List.of(doc("c1", "One"), "{broken", doc("c2", "Two")));
        Path bad = Files.write(dir.resolve("bad.jsonl"), List.of(doc("d1", "One"), "{broken"));
        Output first = command(alias, "--from", good.toString(), "--batch", "1");
        String loaded = targets(alias).getFirst();

        Output aborted = command(alias, "--from", bad.toString(), "--max-errors", "0");
        Output rollback = command(alias, "--rollback");

        assertThat(first.code()).isZero();
        assertThat(first.out()).contains("loaded 1 documents, 1 lines read", "loaded 2 documents, 3 lines read",
                                         "reindexed: alias " + alias + " -> " + loaded + " (was nothing), 2 documents");
        assertThat(first.out()).contains("2 documents, 1 errors");
        assertThat(first.err()).startsWith("line 2: not JSON");
        assertThat(aborted.code()).isEqualTo(ReindexCommand.FAILED);
        assertThat(aborted.err()).contains("line 2: not JSON", "aborted, more than 0 errors", "alias " + alias + " not moved");
        assertThat(rollback.code()).isEqualTo(ReindexCommand.FAILED);
        assertThat(rollback.err()).contains("older than " + loaded);
        assertThat(targets(alias)).containsExactly(loaded);
    }

    private record Output(int code, String out, String err) {
    }

    private static Output command(String alias, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // The command closes what it is given: it gets a client of its own.
        int code = ReindexCommand.run(List.of(args), () -> new ReindexCommand.Target(newClient(), alias),
                                      new PrintStream(out, true, StandardCharsets.UTF_8),
                                      new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Records what a reindex reports; {@link #onProgress} looks at the cluster between bulk requests. */
    private static final class Recorder implements ReindexListener {
        final List<Rejection> rejections = new ArrayList<>();
        String created;
        Runnable onProgress = () -> {
        };

        @Override
        public void created(String index) {
            created = index;
        }

        @Override
        public void progress(long documents, long lines) {
            onProgress.run();
        }

        @Override
        public void rejected(Rejection rejection) {
            rejections.add(rejection);
        }
    }

    private static Reindexer reindexer(String alias, ReindexListener listener) {
        return new Reindexer(client, alias, Clock.systemUTC(), listener);
    }

    /** Loads {@code docs} as a new version behind {@code alias} and returns its name. */
    private static String loaded(String alias, String... docs) throws IOException {
        ReindexResult result = reindexer(alias, new Recorder()).load(lines(docs), Reindexer.Options.DEFAULTS);
        assertThat(result).isInstanceOf(ReindexResult.Swapped.class);
        return ((ReindexResult.Swapped) result).index();
    }

    private static String newAlias() {
        return "reindex-it-" + ALIASES.incrementAndGet();
    }

    private static Stream<String> lines(String... lines) {
        return Stream.of(lines);
    }

    private static String doc(String id, String title) {
        return "{\"item_id\": \"" + id + "\", \"title\": \"" + title + "\", \"description\": \"" + title + ", described\", "
               + "\"category\": \"shoes\", \"brand\": \"Acme\", \"price\": 79.5, \"popularity\": 0.5, "
               + "\"published_at\": \"2026-01-02T03:04:05Z\", \"in_stock\": true, \"embedding\": [0.1, 0.2, 0.3]}";
    }

    private static Set<String> ids(String alias) {
        try {
            return client.search(s -> s.index(alias).size(100), Object.class).hits().hits().stream()
                    .map(Hit::id).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> targets(String alias) {
        try {
            return List.copyOf(client.indices().getAlias(g -> g.name(alias)).result().keySet());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> versions(String alias) throws IOException {
        return new IndexVersions(alias).newestFirst(client.indices().get(g -> g.index(alias + "-*")).result().keySet());
    }

    private static boolean exists(String index) throws IOException {
        return client.indices().exists(e -> e.index(index)).value();
    }

    private static String refreshInterval(String index) {
        IndexSettings settings = settings(index);
        // The answer nests index settings under "index"; read either spelling.
        return settings.refreshInterval() != null
                ? settings.refreshInterval().time()
                : settings.index().refreshInterval().time();
    }

    private static String replicas(String index) {
        IndexSettings settings = settings(index);
        return String.valueOf(settings.numberOfReplicas() != null
                ? settings.numberOfReplicas()
                : settings.index().numberOfReplicas());
    }

    private static IndexSettings settings(String index) {
        try {
            return client.indices().getSettings(g -> g.index(index)).result().get(index).settings();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

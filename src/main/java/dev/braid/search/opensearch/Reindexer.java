package dev.braid.search.opensearch;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.indices.update_aliases.Action;

/**
 * Loads the catalog into a new versioned index and moves the alias to it in one atomic step, only once the index is
 * complete and its document count checked; or moves the alias back to the version before. Whatever fails before the
 * swap deletes the new index and leaves the alias where it was, so nothing half-loaded is ever served.
 */
public final class Reindexer {
    private final OpenSearchClient client;
    private final String alias;
    private final IndexVersions versions;
    private final Clock clock;
    private final ReindexListener listener;

    /**
     * @param clock names the new version (name order must be creation order) and times the load
     */
    public Reindexer(OpenSearchClient client, String alias, Clock clock, ReindexListener listener) {
        this.client = client;
        this.alias = alias;
        this.versions = new IndexVersions(alias);
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * @param batch     documents per bulk request
     * @param maxErrors bad lines and refused documents tolerated; one more aborts the load
     * @param keep      versions kept after a swap, newest first; the new one and the one it replaced are always kept
     */
    public record Options(int batch, int maxErrors, int keep) {
        public static final Options DEFAULTS = new Options(500, 100, 3);

        public Options {
            if (batch < 1 || maxErrors < 0 || keep < 1) {
                throw new IllegalArgumentException("batch and keep must be at least 1, max-errors at least 0");
            }
        }
    }

    /** The alias moved from one index to another. */
    public record Rollback(String from, String to) {
    }

    /**
     * Loads {@code lines} (JSON Lines, one catalog document each) into a new version and swaps the alias to it.
     *
     * @throws ReindexException the alias's name belongs to a concrete index, or the clock runs behind the newest version
     */
    public ReindexResult load(Stream<String> lines, Options options) throws IOException {
        Instant started = clock.instant();
        List<String> previous = aliasTargets();
        String index = versions.name(started);
        Optional<String> newest = versions.newestFirst(existingCandidates()).stream().findFirst();
        if (newest.isPresent() && newest.get().compareTo(index) >= 0) {
            throw new ReindexException("the newest version " + newest.get() + " is not older than " + index + "; rollback "
                                       + "and pruning rely on name order being creation order. Is the clock right?");
        }
        IndexTemplate template = IndexTemplate.read(client._transport().jsonpMapper());
        client.indices().create(c -> c.index(index).settings(template.loading()).mappings(template.mappings()));
        listener.created(index);
        Loaded loaded;
        try {
            loaded = new BulkLoad(index, options).run(lines);
            if (loaded.abortReason() == null) {
                client.indices().refresh(r -> r.index(index));
                client.indices().putSettings(p -> p.index(index).settings(template.restored()));
                long counted = client.count(c -> c.index(index)).count();
                if (counted != loaded.documents()) {
                    loaded = loaded.aborted("the index counts " + counted + " documents, " + loaded.documents()
                                            + " were accepted");
                }
            }
            if (loaded.abortReason() == null) {
                swap(previous, index);
            }
        } catch (IOException | RuntimeException e) {
            deleteAfterFailure(index, e);
            throw e;
        }
        if (loaded.abortReason() != null) {
            client.indices().delete(d -> d.index(index));
            return new ReindexResult.Aborted(index, loaded.abortReason(), loaded.documents(), loaded.errors(), since(started));
        }
        List<String> deleted = prune(options.keep(), index, previous);
        return new ReindexResult.Swapped(index, previous, loaded.documents(), loaded.errors(), deleted, since(started));
    }

    /**
     * Points the alias back at the newest version older than the one it points at now.
     *
     * @throws ReindexException there is no alias, it points at several indexes or at no version, or no older version exists
     */
    public Rollback rollback() throws IOException {
        List<String> targets = aliasTargets();
        if (targets.size() != 1) {
            throw new ReindexException(targets.isEmpty()
                    ? "there is no alias '" + alias + "'; nothing to roll back"
                    : "alias '" + alias + "' points at several indexes " + targets + "; roll back by hand");
        }
        String current = targets.getFirst();
        if (!versions.isVersion(current)) {
            throw new ReindexException("alias '" + alias + "' points at " + current + ", which is not a version made by "
                                       + "reindex (" + versions.name(Instant.EPOCH) + "); nothing to roll back to");
        }
        String before = versions.newestFirst(existingCandidates()).stream()
                .filter(name -> name.compareTo(current) < 0)
                .findFirst()
                .orElseThrow(() -> new ReindexException("no version of '" + alias + "' older than " + current
                                                        + "; nothing to roll back to"));
        swap(targets, before);
        return new Rollback(current, before);
    }

    /** What one bulk load did; a non-null {@code abortReason} means it stopped short. */
    private record Loaded(long documents, long errors, String abortReason) {
        Loaded aborted(String reason) {
            return new Loaded(documents, errors, reason);
        }
    }

    /** Reads lines into bulk requests of {@code options.batch()} documents, counting what was accepted and refused. */
    private final class BulkLoad {
        private final String index;
        private final Options options;
        private final List<CatalogLine.Document> batch = new ArrayList<>();
        private long documents;
        private long errors;
        private long lines;

        BulkLoad(String index, Options options) {
            this.index = index;
            this.options = options;
        }

        Loaded run(Stream<String> input) throws IOException {
            Iterator<String> it = input.iterator();
            while (it.hasNext()) {
                lines++;
                switch (CatalogLine.parse(lines, it.next())) {
                    case CatalogLine.Document document -> {
                        batch.add(document);
                        if (batch.size() == options.batch()) {
                            flush();
                        }
                    }
                    case CatalogLine.Bad bad -> {
                        errors++;
                        listener.rejected(new ReindexListener.Rejection(bad.number(), "", bad.reason()));
                    }
                    case CatalogLine.Blank blank -> {
                    }
                }
                // Stop at the first error too many: the rest of the file cannot make the load acceptable again.
                if (errors > options.maxErrors()) {
                    return new Loaded(documents, errors, "more than " + options.maxErrors() + " errors (stopped at line "
                                                         + lines + ")");
                }
            }
            flush();
            if (errors > options.maxErrors()) {
                return new Loaded(documents, errors, "more than " + options.maxErrors() + " errors");
            }
            return new Loaded(documents, errors, null);
        }

        private void flush() throws IOException {
            if (batch.isEmpty()) {
                return;
            }
            // create, not index: a repeated item_id is refused and reported instead of silently replacing the first.
            List<BulkOperation> operations = batch.stream()
                    .map(doc -> BulkOperation.of(op -> op.create(c -> c.index(index).id(doc.itemId())
                            .document(doc.source()))))
                    .toList();
            BulkResponse response = client.bulk(b -> b.operations(operations));
            List<BulkResponseItem> items = response.items();
            for (int i = 0; i < batch.size(); i++) {
                CatalogLine.Document document = batch.get(i);
                BulkResponseItem item = items.get(i);
                if (item.error() == null) {
                    documents++;
                } else {
                    errors++;
                    listener.rejected(new ReindexListener.Rejection(document.number(), document.itemId(),
                                                                    item.error().type() + ": " + item.error().reason()));
                }
            }
            batch.clear();
            listener.progress(documents, lines);
        }
    }

    /** The indexes the alias points at now; none when there is no alias. */
    private List<String> aliasTargets() throws IOException {
        if (client.indices().existsAlias(e -> e.name(alias)).value()) {
            return client.indices().getAlias(g -> g.name(alias)).result().keySet().stream().sorted().toList();
        }
        if (client.indices().exists(e -> e.index(alias)).value()) {
            throw new ReindexException("'" + alias + "' is a concrete index, not an alias; the service must read through "
                                       + "an alias for reindexing to work. Nothing was changed: reindex under another "
                                       + "alias, or move the index's data behind one by hand first");
        }
        return List.of();
    }

    /** Every index named {@code <alias>-*}; not all of them are versions. */
    private List<String> existingCandidates() throws IOException {
        return List.copyOf(client.indices().get(g -> g.index(versions.wildcard())).result().keySet());
    }

    /**
     * Moves the alias from {@code from} to {@code to} in one {@code _aliases} call: readers see the old index or the new,
     * never neither and never both. {@code must_exist} on the removals makes the call fail as a whole if someone else
     * moved the alias since it was read.
     */
    private void swap(List<String> from, String to) throws IOException {
        List<Action> actions = new ArrayList<>();
        for (String old : from) {
            actions.add(Action.of(a -> a.remove(r -> r.index(old).alias(alias).mustExist(true))));
        }
        actions.add(Action.of(a -> a.add(add -> add.index(to).alias(alias))));
        client.indices().updateAliases(u -> u.actions(actions));
    }

    /** Deletes the oldest versions beyond the {@code keep} newest, but never {@code current} nor what it replaced. */
    private List<String> prune(int keep, String current, List<String> replaced) {
        List<String> deleted = new ArrayList<>();
        try {
            List<String> newest = versions.newestFirst(existingCandidates());
            for (String old : newest.subList(Math.min(keep, newest.size()), newest.size())) {
                if (!old.equals(current) && !replaced.contains(old)) {
                    client.indices().delete(d -> d.index(old));
                    deleted.add(old);
                }
            }
        } catch (IOException | OpenSearchException e) {
            // The swap has happened; old versions left behind cost disk, not correctness.
            listener.warning("could not delete old versions of '" + alias + "': " + e.getMessage());
        }
        return deleted;
    }

    private void deleteAfterFailure(String index, Exception cause) {
        try {
            // A swap whose answer was lost may have happened: deleting the index would take the alias with it.
            if (client.indices().existsAlias(e -> e.name(alias).index(index)).value()) {
                listener.warning("alias '" + alias + "' points at " + index + " although the load failed; it was kept: "
                                 + "check it, and roll back if it is wrong");
                return;
            }
            client.indices().delete(d -> d.index(index));
        } catch (IOException | OpenSearchException e) {
            cause.addSuppressed(e);
            listener.warning("could not delete the unfinished index " + index + " (" + e.getMessage() + "); the alias "
                             + "does not point at it, delete it by hand");
        }
    }

    private Duration since(Instant started) {
        return Duration.between(started, clock.instant());
    }
}

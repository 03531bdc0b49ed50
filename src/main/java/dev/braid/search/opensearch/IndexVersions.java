package dev.braid.search.opensearch;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The versioned indexes behind one alias: {@code <alias>-yyyyMMdd-HHmmss-SSS} in UTC, so that name order is creation
 * order. Only names of exactly this shape count as versions: {@code catalog-*} also matches {@code catalog-v1} or another
 * alias's {@code catalog-eu-…}, which rollback and pruning must never touch.
 */
record IndexVersions(String alias) {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    /** The name of a version created at {@code created}. */
    String name(Instant created) {
        return alias + "-" + STAMP.format(created);
    }

    /** The wildcard that finds every candidate; filter the answer with {@link #newestFirst}. */
    String wildcard() {
        return alias + "-*";
    }

    boolean isVersion(String index) {
        return versionPattern().matcher(index).matches();
    }

    /** The versions among {@code indexes}, newest first; other names are dropped. */
    List<String> newestFirst(Collection<String> indexes) {
        return indexes.stream().filter(this::isVersion).sorted(Comparator.reverseOrder()).toList();
    }

    private Pattern versionPattern() {
        return Pattern.compile(Pattern.quote(alias) + "-\\d{8}-\\d{6}-\\d{3}");
    }
}

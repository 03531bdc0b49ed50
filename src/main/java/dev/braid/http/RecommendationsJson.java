package dev.braid.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.braid.catalog.CatalogItem;
import dev.braid.experiments.Arm;
import dev.braid.recommend.BlendedList;
import dev.braid.recommend.RankedItem;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceReport;
import dev.braid.recommend.SourceStatus;
import dev.braid.recommend.pipeline.Recommendations;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Writes a recommendation answer from parts made once per list: every item's JSON, the list's sources and model
 * versions are encoded the first time a page is cut from a list, and each later page (every cache hit) only joins the
 * bytes of its items with the few fields that are its own (its id, cursor, cache outcome, arm). The bytes are exactly
 * what Jackson writes for the whole {@link RecommendationsBody}; its test compares them.
 *
 * <p>The ETag comes from 64-bit fingerprints of each item, also made once per list: the same page shape (user, surface,
 * completeness, arm, items and scores) has the same tag on every replica, at the cost of a few multiplications.
 */
final class RecommendationsJson {
    /**
     * The parts of the lists pages were cut from lately, by the list's version (unique to each list made, the same in
     * every copy of it): a hit finds them without allocating or hashing the list.
     */
    private static final Cache<String, ListParts> PARTS = Caffeine.newBuilder().maximumSize(20_000)
            .expireAfterAccess(Duration.ofMinutes(15)).executor(Runnable::run).build();
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private RecommendationsJson() {
    }

    /** An answer's body and the tag of what it means. */
    record Rendered(byte[] body, String etag) {
    }

    static Rendered render(Recommendations answer) {
        ListParts list = parts(answer.list());
        ByteJoiner out = new ByteJoiner(2 * answer.items().size() + 20)
                .add(RECOMMENDATION_ID).add(quoted(answer.recommendationId()))
                .add(USER).add(quoted(answer.request().user()))
                .add(SURFACE).add(quoted(answer.request().surface()))
                .add(ITEMS);
        Fingerprint tag = new Fingerprint()
                .add(answer.request().user()).add(answer.request().surface()).add(answer.list().partial() ? 1 : 0)
                .add(answer.degraded() == null ? null : answer.degraded().wireName())
                .add(answer.experiment() == null ? null : answer.experiment().experiment() + "=" + answer.experiment().variant());
        boolean first = true;
        for (RankedItem item : answer.items()) {
            ItemPart part = list.item(item);
            if (!first) {
                out.add(COMMA);
            }
            first = false;
            out.add(part.json());
            tag.add(part.fingerprint());
        }
        return new Rendered(out.add(ITEMS_END).add(list.completeness())
                                    .add(DEGRADED).add(quoted(answer.degraded() == null ? null : answer.degraded().wireName()))
                                    .add(CACHE).add(quoted(answer.cache().wireName()))
                                    .add(EXPERIMENT).add(experiment(answer.experiment()))
                                    .add(list.modelVersions())
                                    .add(NEXT_CURSOR).add(quoted(answer.nextCursor()))
                                    .add(list.reranked())
                                    .add(END)
                                    .join(),
                            tag.etag());
    }

    private static ListParts parts(BlendedList list) {
        ListParts parts = PARTS.getIfPresent(list.version());
        if (parts == null) {
            parts = ListParts.of(list);
            PARTS.put(list.version(), parts);
        }
        return parts;
    }

    // The envelope's own fields, in the order Jackson writes RecommendationsBody.
    private static final byte[] RECOMMENDATION_ID = ascii("{\"recommendation_id\":");
    private static final byte[] USER = ascii(",\"user\":");
    private static final byte[] SURFACE = ascii(",\"surface\":");
    private static final byte[] ITEMS = ascii(",\"items\":[");
    private static final byte[] COMMA = ascii(",");
    private static final byte[] ITEMS_END = ascii("]");
    private static final byte[] DEGRADED = ascii(",\"degraded\":");
    private static final byte[] CACHE = ascii(",\"cache\":");
    private static final byte[] EXPERIMENT = ascii(",\"experiment\":");
    private static final byte[] NEXT_CURSOR = ascii(",\"next_cursor\":");
    private static final byte[] END = ascii("}");

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void field(ByteArrayOutputStream out, char before, String name, byte[] value) {
        out.write(before);
        out.write('"');
        out.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        out.write('"');
        out.write(':');
        out.writeBytes(value);
    }

    /**
     * A JSON string as the API's Jackson mapping writes it, or {@code null}. Ids, cursors and surface names are plain
     * ASCII and are copied as they are; anything else goes through the mapping itself, so escapes (surrogate pairs
     * included) come out the same.
     */
    private static byte[] quoted(String text) {
        if (text == null) {
            return NULL;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return Json.write(text);
            }
        }
        byte[] quoted = new byte[text.length() + 2];
        quoted[0] = '"';
        for (int i = 0; i < text.length(); i++) {
            quoted[i + 1] = (byte) text.charAt(i);
        }
        quoted[quoted.length - 1] = '"';
        return quoted;
    }

    private static byte[] experiment(Arm arm) {
        return arm == null ? NULL : Json.write(new RecommendationsBody.Experiment(arm.experiment(), arm.variant()));
    }

    /** One item as the page shows it, its fingerprint for the tag, and the item it was made from. */
    private record ItemPart(RankedItem item, byte[] json, long fingerprint) {
    }

    /** What every page of one list shares, encoded once. */
    private record ListParts(Map<String, ItemPart> items, byte[] completeness, byte[] modelVersions,
                             byte[] reranked) {

        static ListParts of(BlendedList list) {
            Map<String, ItemPart> items = HashMap.newHashMap(list.items().size());
            for (RankedItem item : list.items()) {
                items.put(item.itemId(), part(item));
            }
            List<String> used = new ArrayList<>();
            List<RecommendationsBody.FailedSource> failed = new ArrayList<>();
            Map<String, RecommendationsBody.Source> sources = new LinkedHashMap<>();
            for (SourceReport report : list.sources()) {
                String name = report.source().name();
                sources.put(name, new RecommendationsBody.Source(report.status().wireName(), report.latency().toMillis(),
                                                                 report.count()));
                if (report.status() == SourceStatus.OK) {
                    used.add(name);
                } else if (report.status() != SourceStatus.SKIPPED) {
                    failed.add(new RecommendationsBody.FailedSource(name, report.status().wireName()));
                }
            }
            ByteArrayOutputStream completeness = new ByteArrayOutputStream(256);
            field(completeness, ',', "partial", Json.write(list.partial()));
            field(completeness, ',', "sources_used", Json.write(used));
            field(completeness, ',', "failed_sources", Json.write(failed));
            field(completeness, ',', "sources", Json.write(sources));
            Map<String, String> versions = new LinkedHashMap<>();
            list.modelVersions().forEach((source, version) -> versions.put(source.name(), version));
            ByteArrayOutputStream modelVersions = new ByteArrayOutputStream(128);
            field(modelVersions, ',', "model_versions", Json.write(versions));
            SourceReport report = list.reranked();
            ByteArrayOutputStream reranked = new ByteArrayOutputStream(96);
            field(reranked, ',', "reranked_by", report == null ? NULL : Json.write(new RecommendationsBody.Reranked(
                    report.source().name(), report.status().wireName(), report.latency().toMillis())));
            return new ListParts(items, completeness.toByteArray(), modelVersions.toByteArray(), reranked.toByteArray());
        }

        /**
         * An item of this list (the same object, or in another copy of the list an equal one); anything else is
         * encoded on the spot.
         */
        ItemPart item(RankedItem item) {
            ItemPart part = items.get(item.itemId());
            return part != null && (part.item() == item || part.item().equals(item)) ? part : part(item);
        }

        int size() {
            return completeness.length + modelVersions.length + reranked.length;
        }

        private static ItemPart part(RankedItem item) {
            CatalogItem details = item.details();
            RecommendationsBody.Item json = new RecommendationsBody.Item(
                    item.itemId(), RecommendationsBody.round(item.score()),
                    item.sources().stream().map(SourceId::name).toList(), item.reasons(),
                    details == null ? null : details.title(), details == null ? null : details.category(),
                    details == null ? null : details.brand(), details == null ? null : details.price());
            long fingerprint = new Fingerprint().add(item.itemId()).add(Double.doubleToLongBits(json.score())).value();
            return new ItemPart(item, Json.write(json), fingerprint);
        }
    }

    /** Two 64-bit lanes of mixed input: a tag that does not change between replicas or restarts. */
    private static final class Fingerprint {
        private long a = 0x9E3779B97F4A7C15L;
        private long b = 0xC2B2AE3D27D4EB4FL;

        Fingerprint add(long value) {
            a = mix(a ^ value);
            b = mix(b + value * 0xFF51AFD7ED558CCDL);
            return this;
        }

        Fingerprint add(String text) {
            if (text == null) {
                return add(0x5bd1e995L);
            }
            long h = 1125899906842597L;
            for (int i = 0; i < text.length(); i++) {
                h = 31 * h + text.charAt(i);
            }
            return add(h).add(text.length());
        }

        long value() {
            return a ^ Long.rotateLeft(b, 29);
        }

        String etag() {
            byte[] bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                bytes[i] = (byte) (a >>> (8 * i));
                bytes[8 + i] = (byte) (b >>> (8 * i));
            }
            return "W/\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "\"";
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}

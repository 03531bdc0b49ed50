package dev.braid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.braid.cache.CacheConfig;
import dev.braid.catalog.CatalogConfig;
import dev.braid.config.InvalidConfigException;
import dev.braid.config.ObserveConfig;
import dev.braid.config.OpenSearchConfig;
import dev.braid.config.Redaction;
import dev.braid.config.ServerConfig;
import dev.braid.config.Settings;
import dev.braid.events.EventsConfig;
import dev.braid.experiments.ExperimentsSetup;
import dev.braid.jobs.JobsConfig;
import dev.braid.ratelimit.RateLimitConfig;
import dev.braid.recommend.PopularItemsConfig;
import dev.braid.recommend.RecommendationsConfig;
import dev.braid.recommend.SourceConfig;
import dev.braid.recommend.SourceId;
import dev.braid.recommend.SourceKind;
import dev.braid.recommend.SourceTraits;
import dev.braid.recommend.SurfacePlan;
import dev.braid.recommend.pipeline.PopularItems;
import dev.braid.recommend.source.databricks.DatabricksKind;
import dev.braid.recommend.source.microservice.MicroserviceKind;
import dev.braid.recommend.source.opensearch.ContentKind;
import dev.braid.recommend.source.personalize.PersonalizeKind;
import dev.braid.redis.RedisConfig;
import dev.braid.resilience.GuardConfig;
import dev.braid.search.SearchConfig;

import io.helidon.config.Config;

/**
 * Every setting of one Braid instance, validated as a whole: each area's own rules, then the rules across areas (a plan
 * may only name configured sources). All problems are reported at once, each with its key.
 */
public record BraidConfig(ServerConfig server, RecommendationsConfig recommendations, Map<String, SurfacePlan> surfaces,
                          Map<SourceId, SourceConfig> sources, Map<SourceId, GuardConfig> guards,
                          Map<SourceId, SourceTraits> traits,
                          OpenSearchConfig openSearch, CatalogConfig catalog, RedisConfig redis,
                          PopularItemsConfig popular, SearchConfig search, CacheConfig cache,
                          ExperimentsSetup experiments, RateLimitConfig rateLimits, ObserveConfig observe,
                          EventsConfig events, JobsConfig jobs, Map<String, Object> effective) {

    public BraidConfig {
        surfaces = Map.copyOf(surfaces);
        sources = Map.copyOf(sources);
        guards = Map.copyOf(guards);
        traits = Map.copyOf(traits);
        effective = Collections.unmodifiableMap(new LinkedHashMap<>(effective));
    }

    /** The kinds of downstream a source may be: each declared in its own package. */
    private static final Map<String, SourceKind<?>> KINDS = kinds(List.of(
            MicroserviceKind.KIND, PersonalizeKind.KIND, DatabricksKind.KIND, ContentKind.KIND));

    private static Map<String, SourceKind<?>> kinds(List<SourceKind<?>> kinds) {
        Map<String, SourceKind<?>> byName = new LinkedHashMap<>();
        kinds.forEach(kind -> byName.put(kind.name(), kind));
        return Collections.unmodifiableMap(byName);
    }

    public static BraidConfig create(Config root) {
        Settings settings = Settings.of(root);
        List<String> problems = new ArrayList<>();
        ServerConfig server = collect(problems, () -> ServerConfig.create(settings.child("server")));
        RecommendationsConfig recommendations =
                collect(problems, () -> RecommendationsConfig.create(settings.child("recommendations")));
        OpenSearchConfig openSearch = collect(problems, () -> OpenSearchConfig.create(settings.child("opensearch")));
        CatalogConfig catalog = collect(problems, () -> CatalogConfig.create(settings.child("catalog")));
        RedisConfig redis = collect(problems, () -> RedisConfig.create(settings.child("redis")));
        PopularItemsConfig popular = collect(problems, () -> PopularItemsConfig.create(settings.child("popular")));
        SearchConfig search = collect(problems, () -> SearchConfig.create(settings.child("search")));
        CacheConfig cache = collect(problems, () -> CacheConfig.create(settings.child("cache")));
        ExperimentsSetup experiments = collect(problems, () -> ExperimentsSetup.create(settings.child("experiments")));
        RateLimitConfig rateLimits = collect(problems, () -> RateLimitConfig.create(settings.child("rate-limits")));
        ObserveConfig observe = collect(problems, () -> ObserveConfig.create(settings.child("tracing"),
                                                                             settings.child("logging"),
                                                                             settings.child("jfr")));
        EventsConfig events = collect(problems, () -> EventsConfig.create(settings.child("events")));
        JobsConfig jobs = collect(problems, () -> JobsConfig.create(settings.child("jobs")));
        if (jobs != null && popular != null && jobs.leaseTtl().compareTo(popular.timeout().multipliedBy(2)) < 0) {
            // A run in progress must not outlive its lease: the popular-items refresh takes up to popular.timeout.
            problems.add("jobs.lease-ttl: must be at least 2 x popular.timeout (" + Settings.format(
                    popular.timeout().multipliedBy(2)) + "), was " + Settings.format(jobs.leaseTtl()));
        }
        Map<SourceId, SourceConfig> sources = new LinkedHashMap<>();
        Map<SourceId, GuardConfig> guards = new LinkedHashMap<>();
        Map<SourceId, SourceTraits> traits = new LinkedHashMap<>();
        Map<String, Settings> sourceNodes = settings.children("sources");
        sourceNodes.forEach((name, node) -> {
            Configured source = collect(problems, () -> source(name, node));
            if (source != null) {
                sources.put(source.config().id(), source.config());
                guards.put(source.config().id(), source.guard());
                traits.put(source.config().id(), source.traits());
            }
        });
        Map<String, SurfacePlan> surfaces = new LinkedHashMap<>();
        settings.children("surfaces").forEach((name, node) -> {
            SurfacePlan plan = collect(problems, () -> SurfacePlan.create(node));
            if (plan != null) {
                surfaces.put(name, plan);
            }
        });

        if (surfaces.isEmpty() && problems.isEmpty()) {
            problems.add("surfaces: at least one surface must be configured");
        }
        for (SurfacePlan plan : surfaces.values()) {
            for (SurfacePlan.PlannedSource planned : plan.sources()) {
                // A source that is configured but invalid has been reported already; do not report it again as unknown.
                if (!sources.containsKey(planned.source()) && !sourceNodes.containsKey(planned.source().name())) {
                    problems.add("surfaces." + plan.name() + ".sources." + planned.source() + ": unknown source '"
                                 + planned.source() + "'; configured sources: " + names(sources.keySet()));
                }
            }
            if (plan.rerank() != null && !sources.containsKey(plan.rerank())) {
                problems.add("surfaces." + plan.name() + ".rerank: unknown source '" + plan.rerank()
                             + "'; configured sources: " + names(sources.keySet()));
            } else if (plan.rerank() != null && !sources.get(plan.rerank()).reranks()) {
                problems.add("surfaces." + plan.name() + ".rerank: '" + plan.rerank() + "' cannot re-rank; name a "
                             + "personalize source with a ranking-campaign-arn");
            }
            if (recommendations != null && recommendations.reserve().compareTo(plan.budget()) >= 0) {
                problems.add("recommendations.reserve: must be shorter than every surface budget (surfaces." + plan.name()
                             + ".budget is " + Settings.format(plan.budget()) + ", reserve "
                             + Settings.format(recommendations.reserve()) + ")");
            }
        }
        if (recommendations != null && !surfaces.isEmpty() && !surfaces.containsKey(recommendations.defaultSurface())) {
            problems.add("recommendations.default-surface: no surface '" + recommendations.defaultSurface()
                         + "' is configured; configured surfaces: " + String.join(", ", surfaces.keySet()));
        }
        if (experiments != null) {
            // Named, even if invalid (reported above): an experiment naming them is not wrong as well.
            problems.addAll(experiments.experiments().problems(sourceNodes.keySet(),
                                                               settings.children("surfaces").keySet()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new BraidConfig(server, recommendations, surfaces, sources, guards, traits, openSearch, catalog, redis, popular,
                               search, cache, experiments, rateLimits, observe, events, jobs, settings.effective());
    }

    /**
     * The configuration in force, for {@code GET /admin/config}: every setting of {@code config/application.yaml} (and of
     * the sources and surfaces configured), keyed as there, with the value read or the default that applies; secrets
     * are {@code ***} and credentials inside other values scrubbed.
     */
    public Map<String, Object> redacted() {
        return Redaction.tree(effective);
    }

    /** The redacted settings: a configuration printed anywhere must not print its secrets. */
    @Override
    public String toString() {
        return "BraidConfig" + redacted();
    }

    /** A source's own settings, its guard and its traits, read from the same node. */
    private record Configured(SourceConfig config, GuardConfig guard, SourceTraits traits) {
    }

    private static Configured source(String name, Settings node) {
        SourceId id;
        try {
            id = SourceId.of(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(node.key(""), e.getMessage());
        }
        if (id.equals(PopularItems.SOURCE)) {
            throw new InvalidConfigException(node.key(""), "'" + id + "' is reserved: it names the popular items that"
                                                           + " fill cold-start lists");
        }
        String kind = node.string("kind", null);
        if (kind == null) {
            throw new InvalidConfigException(node.key("kind"), "must be set; known kinds: " + kindNames());
        }
        SourceKind<?> known = KINDS.get(kind);
        if (known == null) {
            throw new InvalidConfigException(node.key("kind"), "unknown kind '" + kind + "'; known kinds: " + kindNames());
        }
        // The guard reads its keys first: the kind's own record then rejects whatever neither of them knows.
        GuardConfig guard = node.bindPart(() -> GuardConfig.read(node, known.defaultTimeout()));
        SourceTraits traits = node.bindPart(() -> SourceTraits.read(node, known.explanation()));
        return new Configured(known.read(id, node), guard, traits);
    }

    private static String kindNames() {
        return String.join(", ", KINDS.keySet());
    }

    private static <T> T collect(List<String> problems, Supplier<T> area) {
        try {
            return area.get();
        } catch (InvalidConfigException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    private static String names(Iterable<SourceId> ids) {
        List<String> names = new ArrayList<>();
        ids.forEach(id -> names.add(id.name()));
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }
}

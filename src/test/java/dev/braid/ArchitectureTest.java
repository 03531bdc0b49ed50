package dev.braid;

import java.util.Map;
import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The dependency directions of docs/architecture.md, checked on the compiled main classes. */
class ArchitectureTest {
    private static final String[] VENDOR_CLIENTS = {
            "software.amazon..", "redis.clients..", "org.opensearch..", "org.apache.hc.."};
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.braid");
    }

    /**
     * Which of Braid's packages each package may import, as its {@code package-info.java} says: a new dependency is a
     * decision to make here (and there), not an accident.
     */
    private static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
            Map.entry("cache", Set.of("config", "observe")),
            Map.entry("catalog", Set.of("cache", "config", "resilience")),
            Map.entry("catalog.opensearch", Set.of("catalog", "config", "opensearch", "resilience")),
            Map.entry("config", Set.of()),
            Map.entry("events", Set.of("catalog", "config", "experiments", "observe", "resilience")),
            Map.entry("experiments", Set.of("config", "observe", "token")),
            Map.entry("http", Set.of("cache", "catalog", "config", "events", "experiments", "http.transport", "observe",
                                     "ratelimit", "recommend", "recommend.pipeline", "resilience", "search", "token")),
            Map.entry("http.transport", Set.of("config")),
            Map.entry("jobs", Set.of("config", "observe")),
            Map.entry("observe", Set.of()),
            Map.entry("opensearch", Set.of("observe")),
            Map.entry("ratelimit", Set.of("config", "observe")),
            Map.entry("recommend", Set.of("catalog", "config", "resilience")),
            Map.entry("recommend.blend", Set.of("catalog", "config", "recommend")),
            Map.entry("recommend.fanout", Set.of("observe", "recommend", "resilience")),
            Map.entry("recommend.pipeline", Set.of("cache", "catalog", "experiments", "jobs", "observe", "recommend",
                                                   "recommend.blend", "recommend.fanout", "resilience", "token")),
            Map.entry("recommend.source", Set.of("config", "observe", "recommend", "resilience")),
            Map.entry("recommend.source.databricks", Set.of("config", "recommend", "recommend.source", "resilience")),
            Map.entry("recommend.source.microservice", Set.of("config", "recommend", "recommend.source", "resilience")),
            Map.entry("recommend.source.opensearch", Set.of("config", "opensearch", "recommend", "resilience")),
            Map.entry("recommend.source.personalize", Set.of("config", "observe", "recommend", "resilience")),
            Map.entry("redis", Set.of("cache", "config", "events", "experiments", "jobs", "observe", "ratelimit",
                                      "recommend", "search")),
            Map.entry("resilience", Set.of("config", "observe")),
            Map.entry("search", Set.of("catalog", "config", "observe", "resilience", "token")),
            Map.entry("search.opensearch", Set.of("catalog", "config", "opensearch", "resilience", "search", "token")),
            Map.entry("token", Set.of()));

    @Test
    void eachPackageImportsOnlyWhatItsPackageInfoSays() {
        Set<String> packages = new java.util.TreeSet<>();
        main.forEach(type -> packages.add(type.getPackageName()));
        packages.remove("dev.braid");
        assertThat(packages).as("every package has its row").allMatch(name -> MAY_IMPORT.containsKey(
                name.substring("dev.braid.".length())));
        MAY_IMPORT.forEach((name, allowed) -> {
            String[] own = java.util.stream.Stream.concat(java.util.stream.Stream.of(name), allowed.stream())
                    .map(p -> "dev.braid." + p).toArray(String[]::new);
            noClasses().that().resideInAPackage("dev.braid." + name)
                    .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.braid..")
                                                          .and(DescribedPredicate.not(
                                                                  JavaClass.Predicates.resideInAnyPackage(own))))
                    .allowEmptyShould(true).check(main);
        });
    }

    @Test
    void everyPackageInfoSaysWhatThePackageImports() throws java.io.IOException {
        Set<String> packages = new java.util.TreeSet<>();
        main.forEach(type -> packages.add(type.getPackageName()));
        packages.remove("dev.braid");
        java.util.regex.Pattern code = java.util.regex.Pattern.compile("\\{@code ([a-z.]+)}");
        for (String name : packages) {
            String relative = name.substring("dev.braid.".length());
            java.nio.file.Path info = java.nio.file.Path.of("src/main/java", name.replace('.', '/'), "package-info.java");
            assertThat(info).as(name).exists();
            String text = java.nio.file.Files.readString(info).replaceAll("\\s*\\*\\s*", " ");
            int start = text.indexOf("Imports ");
            assertThat(start).as(name + "'s package-info has an 'Imports ...' sentence").isNotNegative();
            String sentence = text.substring(start, text.indexOf(". ", start) < 0 ? text.length()
                                                                                    : text.indexOf(". ", start));
            Set<String> named = new java.util.TreeSet<>();
            java.util.regex.Matcher matcher = code.matcher(sentence);
            while (matcher.find()) {
                if (MAY_IMPORT.containsKey(matcher.group(1))) {
                    named.add(matcher.group(1));
                }
            }
            assertThat(named).as(name + ": " + sentence).isEqualTo(new java.util.TreeSet<>(MAY_IMPORT.get(relative)));
        }
    }

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        slices().matching("dev.braid.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void eachVendorSdkStaysInItsAdaptor() {
        // The AWS SDK: Personalize's client, and the SigV4 signer of OpenSearch's requests.
        confined("software.amazon..", "dev.braid.recommend.source.personalize", "dev.braid.opensearch");
        confined("redis.clients..", "dev.braid.redis");
        // OpenTelemetry behind observe's Tracing, Spans and TraceSpan: spans are written through Braid's own types.
        confined("io.opentelemetry..", "dev.braid.observe");
        confined("org.opensearch..", "dev.braid.opensearch", "dev.braid.catalog.opensearch", "dev.braid.search.opensearch",
                 "dev.braid.recommend.source.opensearch");
        // httpclient5: the shared pooled client of the HTTP sources, OpenSearch's transport, the AWS SDK's client.
        confined("org.apache.hc..", "dev.braid.recommend.source", "dev.braid.recommend.source.databricks",
                 "dev.braid.recommend.source.microservice", "dev.braid.opensearch",
                 "dev.braid.recommend.source.personalize");
    }

    /** Only {@code adaptors} (and the composition root, which wires them) use {@code vendor}'s classes. */
    private static void confined(String vendor, String... adaptors) {
        String[] allowed = java.util.stream.Stream.concat(java.util.stream.Stream.of("dev.braid"),
                                                          java.util.Arrays.stream(adaptors)).toArray(String[]::new);
        noClasses().that().resideInAPackage("dev.braid..").and().resideOutsideOfPackages(allowed)
                .should().dependOnClassesThat().resideInAPackage(vendor).check(main);
    }

    @Test
    void theHttpEdgeNeverTouchesAVendorClient() {
        noClasses().that().resideInAPackage("dev.braid.http..")
                .should().dependOnClassesThat().resideInAnyPackage(VENDOR_CLIENTS).check(main);
    }

    @Test
    void theDomainKnowsNoHttpServerAndNoVendorClient() {
        noClasses().that().resideInAnyPackage("dev.braid.recommend", "dev.braid.recommend.fanout", "dev.braid.recommend.blend",
                                              "dev.braid.search")
                .should().dependOnClassesThat().resideInAnyPackage(VENDOR_CLIENTS).check(main);
        noClasses().that().resideInAPackage("dev.braid.search..")
                .should().dependOnClassesThat().resideInAnyPackage("io.helidon.webserver..", "dev.braid.http..",
                                                                   "dev.braid.recommend..").check(main);
        noClasses().that().resideInAPackage("dev.braid.recommend..")
                .should().dependOnClassesThat().resideInAnyPackage("io.helidon.webserver..", "dev.braid.http..").check(main);
    }

    @Test
    void eventIngestionKnowsNoVendorClientAndNoConcreteStore() {
        noClasses().that().resideInAPackage("dev.braid.events..")
                .should().dependOnClassesThat().resideInAnyPackage(VENDOR_CLIENTS).check(main);
        // The Redis sink implements the domain's interface, not the other way round.
        noClasses().that().resideInAPackage("dev.braid.events..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.braid.redis..", "dev.braid.http..",
                                                                   "io.helidon.webserver..", "dev.braid.catalog.opensearch..")
                .check(main);
    }

    @Test
    void experimentsKnowOnlyConfigAndObserve() {
        // The pipeline applies a variant's params and the Redis sink implements ExposureSink: never the other way round.
        noClasses().that().resideInAPackage("dev.braid.experiments..")
                .should().dependOnClassesThat().resideInAnyPackage(VENDOR_CLIENTS).check(main);
        noClasses().that().resideInAPackage("dev.braid.experiments..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.braid.recommend..", "dev.braid.redis..",
                                                                   "dev.braid.http..", "dev.braid.events..",
                                                                   "io.helidon.webserver..")
                .check(main);
    }

    @Test
    void rateLimitsKnowNeitherTheirStoreNorHttp() {
        // The Redis count implements RateLimiter; the HTTP filter asks it: never the other way round.
        noClasses().that().resideInAPackage("dev.braid.ratelimit..")
                .should().dependOnClassesThat().resideInAnyPackage(VENDOR_CLIENTS).check(main);
        noClasses().that().resideInAPackage("dev.braid.ratelimit..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.braid.redis..", "dev.braid.http..",
                                                                   "io.helidon.webserver..")
                .check(main);
    }

    @Test
    void theTransportKnowsNothingOfTheApiAboveIt() {
        noClasses().that().resideInAPackage("dev.braid.http.transport..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.braid.http", "dev.braid.recommend..",
                                                                   "dev.braid.search..", "dev.braid.events..",
                                                                   "dev.braid.cache..", "dev.braid.redis..")
                .check(main);
    }

    @Test
    void signedTokensKnowNothingOfBraid() {
        // Search and recommendations both sign cursors with it; it must not pull either into the other.
        noClasses().that().resideInAPackage("dev.braid.token..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.braid.token..", "java..", "javax..")
                .check(main);
    }

    @Test
    void onlyTheFanOutUsesStructuredTaskScope() {
        noClasses().that().resideOutsideOfPackage("dev.braid.recommend.fanout")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.util.concurrent.StructuredTaskScope")
                .check(main);
    }

    @Test
    void configAndObserveAreLeaves() {
        noClasses().that().resideInAPackage("dev.braid.config..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.braid.http..", "dev.braid.recommend..",
                                                                   "dev.braid.catalog..", "dev.braid.observe..")
                .check(main);
        noClasses().that().resideInAPackage("dev.braid.observe..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.braid.http..", "dev.braid.recommend..",
                                                                   "dev.braid.catalog..", "dev.braid.config..")
                .check(main);
    }

    @Test
    void concreteClientsAreNamedOnlyByTheCompositionRoot() {
        noClasses().that().resideInAnyPackage("dev.braid.http..", "dev.braid.recommend", "dev.braid.recommend.fanout",
                                              "dev.braid.recommend.blend", "dev.braid.catalog", "dev.braid.search")
                .should().dependOnClassesThat().resideInAnyPackage("dev.braid.recommend.source..",
                                                                   "dev.braid.catalog.opensearch..",
                                                                   "dev.braid.search.opensearch..", "dev.braid.opensearch..")
                .check(main);
    }
}

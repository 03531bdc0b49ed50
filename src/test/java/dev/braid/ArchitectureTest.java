package dev.braid;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
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

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        slices().matching("dev.braid.(**)").should().beFreeOfCycles().check(main);
    }

    @Test
    void eachVendorSdkStaysInItsAdaptor() {
        confined("software.amazon..", "dev.braid.recommend.source.personalize");
        confined("redis.clients..", "dev.braid.redis");
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

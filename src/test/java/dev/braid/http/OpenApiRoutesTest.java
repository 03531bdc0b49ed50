package dev.braid.http;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document and the routes agree: the routes {@link Main#routing} registers (read back from it, not listed
 * here) are exactly the documented operations, and on a running instance every documented operation is answered by its
 * route while every other method on a documented path is a 405 whose {@code Allow} lists the documented methods.
 */
class OpenApiRoutesTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The problem type of a path no route matches (as opposed to an item that does not exist). */
    private static final String NO_SUCH_ENDPOINT = "https://braid.dev/problems/no-such-endpoint";

    private static Braid braid;
    private static ApiDocument document;

    @BeforeAll
    static void start() throws Exception {
        braid = Main.start(TestConfigs.local(Map.of("sources.trending.url", "http://127.0.0.1:9/v1/trending",
                                                    "surfaces.home.fallback-items", "i1,i2")));
        document = ApiDocument.fetch(CLIENT, braid.apiPort());
    }

    @AfterAll
    static void stop() {
        braid.stop();
    }

    @Test
    void theRegisteredRoutesAreExactlyTheDocumentedOperations() {
        Set<String> registered = RecordedRoutes.of(routing -> Main.routing(routing, braid.components()));
        Set<String> routes = registered.stream().filter(route -> !route.startsWith(RecordedRoutes.ANY + " "))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(routes).as("routes registered by Main.routing").isNotEmpty()
                .containsExactlyElementsOf(document.operations());
    }

    @Test
    void everyRegisteredPathAnswersOtherMethodsItself() {
        Set<String> registered = RecordedRoutes.of(routing -> Main.routing(routing, braid.components()));
        Set<String> fallbacks = registered.stream().filter(route -> route.startsWith(RecordedRoutes.ANY + " "))
                .map(route -> route.substring(2)).collect(Collectors.toCollection(TreeSet::new));

        assertThat(fallbacks).as("paths with a 405 fallback").containsExactlyElementsOf(document.paths());
    }

    @Test
    void everyDocumentedOperationIsAnsweredByItsRoute() throws Exception {
        for (String operation : document.operations()) {
            String[] methodAndPath = operation.split(" ", 2);
            HttpResponse<String> response = send(methodAndPath[0], concrete(methodAndPath[0], methodAndPath[1]));

            assertThat(response.statusCode()).as(operation).isNotEqualTo(405);
            if (response.statusCode() == 404 && !response.body().isEmpty()) {
                JsonNode problem = JSON.readTree(response.body());
                assertThat(problem.get("type").asText()).as(operation + ": " + response.body())
                        .isNotEqualTo(NO_SUCH_ENDPOINT);
            }
            assertThat(response.statusCode()).as(operation).isNotIn(500, 501);
        }
    }

    @Test
    void anyOtherMethodOnADocumentedPathIs405AllowingTheDocumentedMethods() throws Exception {
        for (String path : document.paths()) {
            Set<String> documented = document.methods(path);
            for (String method : new String[] {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
                if (documented.contains(method)) {
                    continue;
                }
                HttpResponse<String> response = send(method, concrete(documented.iterator().next(), path));

                assertThat(response.statusCode()).as(method + " " + path).isEqualTo(405);
                Set<String> allowed = Arrays.stream(response.headers().firstValue("Allow").orElse("").split(","))
                        .map(String::trim).collect(Collectors.toCollection(TreeSet::new));
                assertThat(allowed).as("Allow of " + method + " " + path).isEqualTo(documented);
            }
        }
    }

    /** The path with each path parameter filled from its documented example. */
    private static String concrete(String method, String template) {
        String path = template;
        for (ApiDocument.Located parameter : document.parameters(method, template)) {
            if (parameter.node().get("in").asText().equals("path")) {
                String name = parameter.node().get("name").asText();
                JsonNode example = parameter.node().get("example");
                assertThat(example).as("example of path parameter " + name + " of " + template).isNotNull();
                path = path.replace("{" + name + "}", URLEncoder.encode(example.asText(), StandardCharsets.UTF_8));
            }
        }
        return path;
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.apiPort() + path))
                .timeout(Duration.ofSeconds(5)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }
}

package dev.braid.http;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /openapi} on a real instance: YAML unless the client prefers JSON, the same document either way, HEAD,
 * revalidation, caching headers, and no rate limit.
 */
class OpenApiServiceTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private static Braid braid;

    @BeforeAll
    static void start() {
        braid = Main.start(TestConfigs.local(Map.of("sources.trending.url", "http://127.0.0.1:9/v1/trending")));
    }

    @AfterAll
    static void stop() {
        braid.stop();
    }

    @ParameterizedTest(name = "Accept: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "|application/yaml",
            "*/*|application/yaml",
            "application/*|application/yaml",
            "application/yaml|application/yaml",
            "application/openapi+yaml|application/openapi+yaml",
            "application/json|application/json",
            "application/openapi+json|application/openapi+json",
            "application/json, application/yaml|application/yaml",
            "application/yaml;q=0.5, application/json|application/json",
            "application/json;q=0.9, */*;q=0.1|application/json",
            "text/html, application/xhtml+xml, */*;q=0.8|application/yaml",
            "*/*, application/yaml;q=0|application/openapi+yaml",
            "APPLICATION/JSON|application/json"})
    void answersTheRepresentationTheClientPrefers(String accept, String expected) throws Exception {
        HttpResponse<String> response = get(accept == null ? Map.of() : Map.of("Accept", accept));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(expected);
        JsonNode document = (expected.endsWith("json") ? JSON : YAML).readTree(response.body());
        assertThat(document.get("openapi").asText()).startsWith("3.1.");
    }

    @Test
    void yamlAndJsonAreTheSameDocument() throws Exception {
        JsonNode yaml = YAML.readTree(get(Map.of()).body());
        JsonNode json = JSON.readTree(get(Map.of("Accept", "application/json")).body());

        assertThat(json).isEqualTo(yaml);
        assertThat(json.at("/paths").size()).isEqualTo(6);
    }

    @ParameterizedTest(name = "Accept: {0} -> 406")
    @CsvSource(delimiter = '|', value = {"text/html", "application/json;q=0, application/yaml;q=0, */*;q=0",
                                         "image/*"})
    void anAcceptAdmittingNoneOfTheRepresentationsIsA406Problem(String accept) throws Exception {
        HttpResponse<String> response = get(Map.of("Accept", accept));

        assertThat(response.statusCode()).isEqualTo(406);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(406);
        assertThat(problem.get("detail").asText()).startsWith("Accept: ").contains("application/yaml");
    }

    @Test
    void aMalformedAcceptCountsAsAcceptingAnything() throws Exception {
        HttpResponse<String> response = get(Map.of("Accept", "application/json;q=x;;=="));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).isPresent();
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutABody() throws Exception {
        HttpResponse<String> get = get(Map.of("Accept", "application/json"));
        HttpResponse<String> head = CLIENT.send(request(Map.of("Accept", "application/json"))
                                                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                                                HttpResponse.BodyHandlers.ofString());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(get.body().getBytes().length));
        assertThat(head.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag"));
    }

    @Test
    void theDocumentIsCacheableAndRevalidatedPerRepresentation() throws Exception {
        HttpResponse<String> yaml = get(Map.of());
        HttpResponse<String> json = get(Map.of("Accept", "application/json"));
        String yamlTag = yaml.headers().firstValue("ETag").orElseThrow();
        String jsonTag = json.headers().firstValue("ETag").orElseThrow();

        assertThat(yamlTag).startsWith("W/\"").isNotEqualTo(jsonTag);
        assertThat(yaml.headers().firstValue("Cache-Control")).contains("public, max-age=3600");
        assertThat(yaml.headers().firstValue("Vary")).contains("Accept, Accept-Encoding");

        HttpResponse<String> unchanged = get(Map.of("If-None-Match", yamlTag));
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        // The YAML tag does not stand for the JSON representation.
        assertThat(get(Map.of("Accept", "application/json", "If-None-Match", yamlTag)).statusCode()).isEqualTo(200);
    }

    @Test
    void theDocumentIsNotRateLimited() throws Exception {
        HttpResponse<String> document = get(Map.of());
        HttpResponse<String> item = CLIENT.send(HttpRequest.newBuilder(api("/v1/items/i1")).build(),
                                                HttpResponse.BodyHandlers.ofString());

        // Limits are on in this instance: a limited endpoint says so, the document does not.
        assertThat(item.headers().firstValue("RateLimit-Policy")).isPresent();
        assertThat(document.headers().firstValue("RateLimit-Policy")).isEmpty();
        assertThat(document.headers().firstValue("RateLimit")).isEmpty();
    }

    @Test
    void theDocumentIsGzippedWhenTheClientAsks() throws Exception {
        HttpResponse<byte[]> response = CLIENT.send(request(Map.of("Accept-Encoding", "gzip")).build(),
                                                    HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
        byte[] body = new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes();
        assertThat(YAML.readTree(body).get("openapi").asText()).startsWith("3.1.");
    }

    private static HttpResponse<String> get(Map<String, String> headers) throws Exception {
        return CLIENT.send(request(headers).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api("/openapi")).timeout(Duration.ofSeconds(5));
        headers.forEach(request::header);
        return request;
    }

    private static URI api(String path) {
        return URI.create("http://127.0.0.1:" + braid.apiPort() + path);
    }
}

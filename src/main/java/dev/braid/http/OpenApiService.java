package dev.braid.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /openapi}: the OpenAPI 3.1 document of the public API ({@value #RESOURCE} in the jar), read and checked
 * once at start-up so that a broken document stops the instance instead of failing its readers. YAML as written, or the
 * same document as JSON when the client's {@code Accept} prefers it; each representation with its own ETag. The
 * document changes only with a release: shared caches may keep it an hour.
 */
public final class OpenApiService implements HttpService {
    static final String RESOURCE = "openapi/braid.yaml";
    private static final Duration MAX_AGE = Duration.ofHours(1);
    private static final String VARY = "Accept, Accept-Encoding";
    private static final String YAML = "application/yaml";
    private static final String OPENAPI_YAML = "application/openapi+yaml";
    private static final String OPENAPI_JSON = "application/openapi+json";

    /** In the order of the server's preference: a client that likes several equally gets the first. */
    private final List<Representation> representations;

    private OpenApiService(byte[] yaml) {
        byte[] json = json(yaml);
        this.representations = List.of(Representation.of(YAML, yaml), Representation.of(OPENAPI_YAML, yaml),
                                       Representation.of(Answers.JSON, json), Representation.of(OPENAPI_JSON, json));
    }

    /** The document in the jar; fails when it is missing or is not YAML. */
    public static OpenApiService fromClasspath() {
        try (InputStream in = OpenApiService.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is not on the class path");
            }
            return new OpenApiService(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI document " + RESOURCE, e);
        }
    }

    /** One way of writing the document: its media type, bytes and validator. */
    private record Representation(String mediaType, byte[] body, String etag) {
        static Representation of(String mediaType, byte[] body) {
            return new Representation(mediaType, body, HttpCaching.weakEtag(body));
        }
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/", this::document);
    }

    private void document(ServerRequest req, ServerResponse res) {
        Representation chosen = preferred(accepted(req)).orElseThrow(() -> new NotAcceptableProblem(
                "Accept: the document is " + String.join(", ", representations.stream()
                        .map(Representation::mediaType).toList()) + "; none of them is acceptable"));
        if (HttpCaching.answerIfNotModified(req, res, chosen.etag(), HttpCaching.shared(MAX_AGE), VARY)) {
            return;
        }
        Answers.send(req, res, chosen.mediaType(), chosen.body());
    }

    /**
     * The representation the client weighs highest (RFC 9110 §12.5.1: a type's weight is that of the most specific
     * range matching it), or none when every one weighs 0. No {@code Accept} is {@code *}{@code /*}.
     */
    private Optional<Representation> preferred(List<HttpMediaType> accepted) {
        if (accepted.isEmpty()) {
            return Optional.of(representations.getFirst());
        }
        Representation best = null;
        double bestWeight = 0;
        for (Representation representation : representations) {
            double weight = weight(accepted, representation.mediaType());
            if (weight > bestWeight) {
                best = representation;
                bestWeight = weight;
            }
        }
        return Optional.ofNullable(best);
    }

    private static double weight(List<HttpMediaType> accepted, String mediaType) {
        String[] parts = mediaType.split("/", 2);
        int mostSpecific = -1;
        double weight = 0;
        for (HttpMediaType range : accepted) {
            String type = range.mediaType().type().toLowerCase(Locale.ROOT);
            String subtype = range.mediaType().subtype().toLowerCase(Locale.ROOT);
            int specificity;
            if (type.equals("*")) {
                specificity = 0;
            } else if (!type.equals(parts[0])) {
                continue;
            } else if (subtype.equals("*")) {
                specificity = 1;
            } else if (subtype.equals(parts[1])) {
                specificity = 2;
            } else {
                continue;
            }
            if (specificity > mostSpecific) {
                mostSpecific = specificity;
                weight = range.qualityFactor();
            }
        }
        return weight;
    }

    /** The request's {@code Accept} ranges; a malformed header counts as none, which is every type. */
    private static List<HttpMediaType> accepted(ServerRequest req) {
        try {
            return req.headers().acceptedTypes();
        } catch (RuntimeException malformed) {
            return List.of();
        }
    }

    private static byte[] json(byte[] yaml) {
        try {
            JsonNode document = new YAMLMapper().readTree(yaml);
            if (document == null || !document.isObject() || !document.has("openapi")) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is not an OpenAPI object");
            }
            return JsonMapper.builder().build().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is not valid YAML", e);
        }
    }
}

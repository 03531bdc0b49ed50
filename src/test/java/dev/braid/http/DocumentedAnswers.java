package dev.braid.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks real answers against the OpenAPI document: the status is one the operation lists, every required header is
 * there, every header Braid writes is documented and matches its schema, and the body matches the schema of its
 * media type (JSON Schema 2020-12, the document as the schema resource).
 *
 * <p>Object schemas are checked <em>closed</em>: an answer field the document does not name fails, although the
 * document itself leaves them open (clients must accept added fields). That is what keeps the document complete.
 */
final class DocumentedAnswers {
    private static final String DOCUMENT_IRI = "https://braid.dev/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    /** The response headers Braid itself writes: each must be documented where it appears. */
    private static final Set<String> BRAID_HEADERS = Set.of("etag", "cache-control", "vary", "x-request-id",
                                                           "ratelimit-policy", "ratelimit", "retry-after", "allow",
                                                           "idempotent-replayed");
    /** Members holding data or conditions rather than the object's own shape: left as written. */
    private static final Set<String> NOT_CLOSED = Set.of("if", "then", "else", "examples", "example", "default",
                                                         "enum", "const");

    private final ApiDocument document;
    private final SchemaRegistry registry;

    DocumentedAnswers(ApiDocument document) {
        this.document = document;
        JsonNode closed = closed(document.root().deepCopy());
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemas(Map.of(DOCUMENT_IRI, closed.toString())));
    }

    /** {@code answer} is one that the operation {@code method path} documents. */
    void assertDocumented(String method, String path, HttpResponse<String> answer) {
        String status = String.valueOf(answer.statusCode());
        ApiDocument.Located response = document.operation(method, path).child("responses").child(status);
        assertThat(response).as(method + " " + path + " documents status " + status + " (answer: " + answer.body() + ")")
                .isNotNull();
        assertMatches(method + " " + path + " " + status, document.resolve(response), answer,
                      method.equalsIgnoreCase("HEAD"));
    }

    /** {@code answer} is the response the document describes at {@code pointer}, e.g. a component response. */
    void assertDocumented(String pointer, HttpResponse<String> answer) {
        assertMatches(pointer, document.resolve(document.at(pointer)), answer, false);
    }

    /** {@code instance} matches the schema at {@code pointer}, e.g. {@code /components/schemas/Problem}. */
    void assertValid(String pointer, JsonNode instance) {
        assertValid(pointer, document.at(pointer), instance);
    }

    private void assertMatches(String what, ApiDocument.Located response, HttpResponse<String> answer, boolean head) {
        assertHeaders(what, response, answer);
        if (head || answer.statusCode() == 304) {
            assertThat(answer.body()).as(what + ": no body").isEmpty();
            return;
        }
        String contentType = answer.headers().firstValue("Content-Type").map(type -> type.split(";")[0].trim())
                .orElseThrow(() -> new AssertionError(what + ": a body without Content-Type"));
        ApiDocument.Located content = response.child("content");
        assertThat(content).as(what + " documents a body").isNotNull();
        ApiDocument.Located media = content.child(contentType);
        assertThat(media).as(what + " documents " + contentType).isNotNull();
        assertValid(what + ": body", media.child("schema"), parse(contentType, answer.body()));
    }

    private void assertHeaders(String what, ApiDocument.Located response, HttpResponse<String> answer) {
        Set<String> documented = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        ApiDocument.Located headers = response.child("headers");
        if (headers != null) {
            for (Iterator<String> names = headers.node().fieldNames(); names.hasNext(); ) {
                String name = names.next();
                documented.add(name);
                ApiDocument.Located header = document.resolve(headers.child(name));
                Optional<String> value = answer.headers().firstValue(name);
                if (header.node().path("required").asBoolean(false)) {
                    assertThat(value).as(what + ": required header " + name).isPresent();
                }
                if (value.isPresent()) {
                    ApiDocument.Located schema = header.child("schema");
                    assertValid(what + ": header " + name, schema, headerValue(schema, value.get()));
                }
            }
        }
        for (String name : answer.headers().map().keySet()) {
            if (BRAID_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                assertThat(documented).as(what + ": documents the header " + name + " it carries").contains(name);
            }
        }
    }

    private void assertValid(String what, ApiDocument.Located schema, JsonNode instance) {
        // Validate where the schema lives: references are followed to their component, whose pointer is plain.
        ApiDocument.Located target = document.resolve(schema);
        Schema compiled = registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + target.pointer()));
        List<Error> errors = compiled.validate(instance);
        assertThat(errors).as(what + " against #" + target.pointer() + ": " + instance).isEmpty();
    }

    /** A header's text as the JSON value its schema describes: a number for an integer schema. */
    private static JsonNode headerValue(ApiDocument.Located schema, String value) {
        if (schema.node().path("type").asText().equals("integer")) {
            try {
                return JsonNodeFactory.instance.numberNode(Long.parseLong(value.trim()));
            } catch (NumberFormatException notAnInteger) {
                return JsonNodeFactory.instance.textNode(value);
            }
        }
        return JsonNodeFactory.instance.textNode(value);
    }

    private static JsonNode parse(String contentType, String body) {
        try {
            return (contentType.endsWith("yaml") ? YAML : JSON).readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the body is not " + contentType + ": " + body, e);
        }
    }

    /** The document with every object schema of its components closed to properties it does not name. */
    private static JsonNode closed(JsonNode root) {
        root.get("components").get("schemas").forEach(DocumentedAnswers::close);
        return root;
    }

    private static void close(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")
                && !object.has("unevaluatedProperties")) {
                object.put("additionalProperties", false);
            }
            object.properties().forEach(member -> {
                if (!NOT_CLOSED.contains(member.getKey())) {
                    close(member.getValue());
                }
            });
        } else if (schema.isArray()) {
            schema.forEach(DocumentedAnswers::close);
        }
    }
}

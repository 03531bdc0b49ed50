package dev.braid.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The OpenAPI document as a running instance serves it (its JSON representation), with the look-ups the tests need:
 * operations, and nodes with their JSON pointers, following the document's own {@code $ref}s.
 */
record ApiDocument(String json, JsonNode root) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("get", "head", "post", "put", "delete", "options", "patch",
                                                        "trace");

    /** A node of the document and where it is: a JSON pointer, as in {@code #/components/schemas/Problem}. */
    record Located(String pointer, JsonNode node) {
        /** The member {@code name}, or {@code null} when there is none. */
        Located child(String name) {
            JsonNode child = node.get(name);
            return child == null ? null : new Located(pointer + "/" + name.replace("~", "~0").replace("/", "~1"), child);
        }
    }

    static ApiDocument fetch(HttpClient client, int apiPort) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/openapi"))
                        .header("Accept", "application/json").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /openapi answered " + response.statusCode() + ": " + response.body());
        }
        return new ApiDocument(response.body(), JSON.readTree(response.body()));
    }

    Set<String> paths() {
        Set<String> paths = new TreeSet<>();
        root.get("paths").fieldNames().forEachRemaining(paths::add);
        return paths;
    }

    /** The methods documented for {@code path}, upper case. */
    Set<String> methods(String path) {
        Set<String> methods = new TreeSet<>();
        JsonNode item = root.get("paths").get(path);
        for (String method : METHODS) {
            if (item.has(method)) {
                methods.add(method.toUpperCase(Locale.ROOT));
            }
        }
        return methods;
    }

    /** Every operation, as {@code "METHOD /path"}. */
    Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        for (String path : paths()) {
            methods(path).forEach(method -> operations.add(method + " " + path));
        }
        return operations;
    }

    Located operation(String method, String path) {
        Located located = new Located("", root).child("paths").child(path).child(method.toLowerCase(Locale.ROOT));
        if (located == null) {
            throw new AssertionError("the document has no operation " + method + " " + path);
        }
        return located;
    }

    /** The parameters of an operation: its path item's and its own, each resolved. */
    List<Located> parameters(String method, String path) {
        Located item = new Located("", root).child("paths").child(path);
        List<Located> parameters = new ArrayList<>();
        for (Located owner : List.of(item, operation(method, path))) {
            Located list = owner.child("parameters");
            if (list != null) {
                for (int i = 0; i < list.node().size(); i++) {
                    parameters.add(resolve(new Located(list.pointer() + "/" + i, list.node().get(i))));
                }
            }
        }
        return parameters;
    }

    /** What {@code at} stands for: itself, or the node its (local) {@code $ref} points to, followed to the end. */
    Located resolve(Located at) {
        Located current = at;
        while (current.node().has("$ref")) {
            String ref = current.node().get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new AssertionError("only references within the document are expected, not " + ref);
            }
            String pointer = ref.substring(1);
            JsonNode target = root.at(pointer);
            if (target.isMissingNode()) {
                throw new AssertionError("dangling reference " + ref);
            }
            current = new Located(pointer, target);
        }
        return current;
    }

    Located at(String pointer) {
        JsonNode node = root.at(pointer);
        if (node.isMissingNode()) {
            throw new AssertionError("the document has nothing at " + pointer);
        }
        return new Located(pointer, node);
    }
}

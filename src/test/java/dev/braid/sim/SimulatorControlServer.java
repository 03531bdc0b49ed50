package dev.braid.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.braid.testing.FaultInjectable;
import dev.braid.testing.FaultMode;

/**
 * The simulator control API (docs/operations.md) over the simulators and fault proxies: {@code POST /sim/{name}/mode},
 * {@code GET /sim/{name}/stats}, {@code POST /sim/{name}/reset}, and {@code GET /sim} for all of them.
 */
public final class SimulatorControlServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROUTE = Pattern.compile("/sim/([^/]+)/(mode|stats|reset)");

    private final Map<String, FaultInjectable> targets;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private SimulatorControlServer(Map<String, FaultInjectable> targets, HttpServer server) {
        this.targets = Map.copyOf(targets);
        this.server = server;
    }

    /** Serves the control API for {@code targets} (by name) on {@code host:port} (port 0: any). */
    public static SimulatorControlServer start(String host, int port, Map<String, ? extends FaultInjectable> targets) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
            SimulatorControlServer control = new SimulatorControlServer(new LinkedHashMap<>(targets), server);
            server.setExecutor(control.executor);
            server.createContext("/sim", control::handle);
            server.start();
            return control;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the simulator control API on port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (path.equals("/sim") || path.equals("/sim/")) {
                if (!method.equals("GET")) {
                    problem(exchange, 405, "method-not-allowed", "use GET /sim");
                    return;
                }
                ObjectNode all = JSON.createObjectNode();
                targets.forEach((name, target) -> all.set(name, state(target)));
                send(exchange, 200, all);
                return;
            }
            Matcher route = ROUTE.matcher(path);
            if (!route.matches()) {
                problem(exchange, 404, "not-found", "no route " + method + " " + path
                                                    + "; use /sim/{name}/mode|stats|reset");
                return;
            }
            FaultInjectable target = targets.get(route.group(1));
            if (target == null) {
                problem(exchange, 404, "unknown-simulator", "no simulator '" + route.group(1) + "'; known: "
                                                            + String.join(", ", targets.keySet()));
                return;
            }
            switch (route.group(2)) {
                case "stats" -> {
                    if (method.equals("GET")) {
                        send(exchange, 200, state(target));
                    } else {
                        problem(exchange, 405, "method-not-allowed", "use GET " + path);
                    }
                }
                case "reset" -> {
                    if (method.equals("POST")) {
                        target.reset();
                        send(exchange, 200, state(target));
                    } else {
                        problem(exchange, 405, "method-not-allowed", "use POST " + path);
                    }
                }
                default -> {
                    if (method.equals("POST")) {
                        changeMode(exchange, target, body);
                    } else {
                        problem(exchange, 405, "method-not-allowed", "use POST " + path);
                    }
                }
            }
        }
    }

    private void changeMode(HttpExchange exchange, FaultInjectable target, byte[] body) throws IOException {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            problem(exchange, 400, "invalid-body", "body: not JSON; expected {\"mode\": \"hang\", \"latency_ms\": 50, "
                                                   + "\"retry_after_s\": 2}");
            return;
        }
        if (request == null || !request.isObject() || !request.path("mode").isTextual()) {
            problem(exchange, 400, "invalid-body", "mode: required, one of healthy, slow, hang, error, throttle, malformed, down");
            return;
        }
        FaultMode mode;
        try {
            mode = FaultMode.parse(request.get("mode").asText());
        } catch (IllegalArgumentException e) {
            problem(exchange, 400, "invalid-body", "mode: " + e.getMessage());
            return;
        }
        JsonNode latency = request.path("latency_ms");
        JsonNode retryAfter = request.path("retry_after_s");
        if (!latency.isMissingNode() && (!latency.canConvertToLong() || latency.asLong() < 0)) {
            problem(exchange, 400, "invalid-body", "latency_ms: must be a whole number >= 0");
            return;
        }
        if (!retryAfter.isMissingNode() && (!retryAfter.canConvertToLong() || retryAfter.asLong() < 0)) {
            problem(exchange, 400, "invalid-body", "retry_after_s: must be a whole number >= 0");
            return;
        }
        try {
            target.mode(mode, Duration.ofMillis(latency.asLong(0)), Duration.ofSeconds(retryAfter.asLong(1)));
        } catch (IllegalArgumentException e) {
            problem(exchange, 422, "unsupported-mode", "mode: " + e.getMessage());
            return;
        }
        send(exchange, 200, state(target));
    }

    private static ObjectNode state(FaultInjectable target) {
        return JSON.createObjectNode()
                .put("name", target.name())
                .put("mode", target.mode().wireName())
                .put("requests", target.requests());
    }

    private static void problem(HttpExchange exchange, int status, String slug, String detail) throws IOException {
        ObjectNode problem = JSON.createObjectNode()
                .put("type", "https://braid.dev/problems/sim-" + slug)
                .put("title", slug.replace('-', ' '))
                .put("status", status)
                .put("detail", detail);
        write(exchange, status, "application/problem+json", problem);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        write(exchange, status, "application/json", body);
    }

    private static void write(HttpExchange exchange, int status, String type, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

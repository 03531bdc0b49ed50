package dev.braid.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.braid.testing.FreePort;

/**
 * Amazon OpenSearch Service's front door in front of a real OpenSearch: each request's SigV4 signature is checked by
 * {@link SigV4Verifier} from the bytes received, and only a request it accepts is passed on; any other is answered
 * {@code 403} with AWS's JSON message, as the service answers it. Counts both, and keeps the last refusal's reason and
 * the last Authorization header seen, for tests to look at.
 */
public final class SigV4Gateway implements AutoCloseable {
    private final SigV4Verifier verifier;
    private final URI upstream;
    private final HttpClient forward = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicReference<String> lastRefusal = new AtomicReference<>();
    private final AtomicReference<Map<String, List<String>>> lastHeaders = new AtomicReference<>(Map.of());
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private SigV4Gateway(SigV4Verifier verifier, URI upstream, int port) throws IOException {
        this.verifier = verifier;
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A gateway on a free loopback port checking with {@code verifier}, passing accepted requests to {@code upstream}. */
    public static SigV4Gateway start(SigV4Verifier verifier, URI upstream) {
        try {
            return new SigV4Gateway(verifier, upstream, FreePort.find());
        } catch (IOException e) {
            throw new UncheckedIOException("the SigV4 gateway cannot listen", e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public SigV4Verifier verifier() {
        return verifier;
    }

    public long accepted() {
        return accepted.get();
    }

    public long refused() {
        return refused.get();
    }

    /** Why the last refused request was refused, or {@code null}. */
    public String lastRefusal() {
        return lastRefusal.get();
    }

    /** A header of the last request received (first value, any case), or {@code null}. */
    public String lastHeader(String name) {
        for (Map.Entry<String, List<String>> entry : lastHeaders.get().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().getFirst();
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        forward.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            lastHeaders.set(headers);
            URI uri = exchange.getRequestURI();
            SigV4Verifier.Verdict verdict = verifier.verify(exchange.getRequestMethod(), uri.getRawPath(),
                                                            uri.getRawQuery(), headers, body);
            if (!verdict.accepted()) {
                refused.incrementAndGet();
                lastRefusal.set(verdict.reason());
                String message = verdict.reason().replace("\\", "\\\\").replace("\"", "\\\"");
                send(exchange, 403, "application/json", ("{\"message\":\"" + message + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            accepted.incrementAndGet();
            passOn(exchange, uri, headers, body);
        }
    }

    private void passOn(HttpExchange exchange, URI uri, Map<String, List<String>> headers, byte[] body)
            throws IOException {
        String target = upstream.resolve(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        String contentType = first(headers, "Content-Type");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> response = forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            send(exchange, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                 response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            send(exchange, 502, "application/json", "{\"message\":\"upstream unreachable\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().getFirst();
            }
        }
        return null;
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, body.length == 0 || head ? -1 : body.length);
        if (body.length > 0 && !head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}

package dev.braid.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.braid.testing.FaultInjectable;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FreePort;

/**
 * The plumbing every HTTP downstream simulator shares: a real HTTP/1.1 server on a loopback port, a base latency, the
 * fault modes of the simulator control API (docs/operations.md) and a record of recent requests. Subclasses only say
 * what a healthy, an erroring, a throttling and a malformed answer look like in their protocol.
 */
public abstract class HttpSimulator implements FaultInjectable, AutoCloseable {
    private static final int RECORDED = 100;

    private final String name;
    private final Duration baseLatency;
    private final AtomicLong requests = new AtomicLong();
    private final Deque<RecordedRequest> recent = new ConcurrentLinkedDeque<>();
    private final Object lock = new Object();

    private volatile FaultMode mode = FaultMode.HEALTHY;
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration retryAfter = Duration.ofSeconds(1);
    private volatile CountDownLatch hangRelease = new CountDownLatch(1);
    private int port;
    private HttpServer server;
    private ExecutorService executor;

    protected HttpSimulator(String name, Duration baseLatency) {
        this.name = name;
        this.baseLatency = baseLatency;
    }

    /** The answer to a request in healthy (and slow) mode. */
    protected abstract SimulatedAnswer answer(RecordedRequest request);

    /** HTTP 500 in this downstream's error format. */
    protected abstract SimulatedAnswer serverError();

    /** HTTP 429 in this downstream's throttling format; Retry-After is added by the base. */
    protected abstract SimulatedAnswer throttled();

    /** A 200 whose body the client cannot parse. */
    protected SimulatedAnswer malformed() {
        return SimulatedAnswer.json(200, "{\"items\": [{\"item_id\": \"i1\", \"sco");
    }

    /** Starts listening on {@code port} (0: any free port). */
    public final <S extends HttpSimulator> S start(int port) {
        synchronized (lock) {
            this.port = port == 0 ? FreePort.find() : port;
            listen();
        }
        @SuppressWarnings("unchecked")
        S self = (S) this;
        return self;
    }

    public final int port() {
        return port;
    }

    public final URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final FaultMode mode() {
        return mode;
    }

    @Override
    public final long requests() {
        return requests.get();
    }

    /** The most recent requests, oldest first. */
    public final List<RecordedRequest> recentRequests() {
        return new ArrayList<>(recent);
    }

    public final RecordedRequest lastRequest() {
        return recent.peekLast();
    }

    @Override
    public final void mode(FaultMode newMode, Duration latency, Duration retryAfter) {
        synchronized (lock) {
            FaultMode previous = this.mode;
            this.latency = latency == null ? Duration.ZERO : latency;
            this.retryAfter = retryAfter == null ? Duration.ofSeconds(1) : retryAfter;
            // Mode first, then the release: a request that saw HANG waits on the latch released here.
            this.mode = newMode;
            if (previous == FaultMode.HANG && newMode != FaultMode.HANG) {
                releaseHungRequests();
            }
            if (newMode == FaultMode.DOWN && previous != FaultMode.DOWN) {
                stopListening();
            } else if (previous == FaultMode.DOWN && newMode != FaultMode.DOWN) {
                listen();
            }
        }
    }

    @Override
    public final void reset() {
        mode(FaultMode.HEALTHY, Duration.ZERO, Duration.ofSeconds(1));
        requests.set(0);
        recent.clear();
    }

    @Override
    public final void close() {
        synchronized (lock) {
            releaseHungRequests();
            stopListening();
        }
    }

    private void listen() {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            created.setExecutor(threads);
            created.createContext("/", this::handle);
            created.start();
            server = created;
            executor = threads;
        } catch (IOException e) {
            throw new UncheckedIOException("simulator " + name + " cannot listen on port " + port, e);
        }
    }

    private void stopListening() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
            executor = null;
        }
    }

    private void releaseHungRequests() {
        hangRelease.countDown();
        hangRelease = new CountDownLatch(1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            RecordedRequest request = record(exchange);
            requests.incrementAndGet();
            CountDownLatch release = hangRelease;
            FaultMode current = mode;
            if (current == FaultMode.HANG) {
                // Accept and never answer: the exchange ends, unanswered, when the mode changes or the simulator closes.
                release.await();
                return;
            }
            pause(baseLatency.plus(current == FaultMode.SLOW ? latency : Duration.ZERO));
            SimulatedAnswer answer = switch (current) {
                case HEALTHY, SLOW, HANG, DOWN -> answer(request);
                case ERROR -> serverError();
                case THROTTLE -> withRetryAfter(throttled());
                case MALFORMED -> malformed();
            };
            send(exchange, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SimulatedAnswer withRetryAfter(SimulatedAnswer answer) {
        Map<String, String> headers = new LinkedHashMap<>(answer.headers());
        headers.put("Retry-After", Long.toString(Math.max(0, retryAfter.toSeconds())));
        return new SimulatedAnswer(answer.status(), headers, answer.body());
    }

    private static void pause(Duration duration) throws InterruptedException {
        if (duration.isPositive()) {
            Thread.sleep(duration);
        }
    }

    private RecordedRequest record(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((key, values) -> headers.put(key, List.copyOf(values)));
        RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                                                      exchange.getRequestURI().getRawQuery(), headers,
                                                      new String(body, StandardCharsets.UTF_8));
        recent.addLast(request);
        while (recent.size() > RECORDED) {
            recent.pollFirst();
        }
        return request;
    }

    private static void send(HttpExchange exchange, SimulatedAnswer answer) throws IOException {
        answer.headers().forEach((key, value) -> exchange.getResponseHeaders().add(key, value));
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        if (answer.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }
}

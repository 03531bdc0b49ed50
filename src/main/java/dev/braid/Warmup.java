package dev.braid;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Logger;

/**
 * Sends an instance a few real requests before it reports ready. A cold JVM spends the first requests loading and
 * compiling the HTTP client, JSON and fan-out code, which can exceed a 150 ms budget; warmed up, the first customer
 * request is as fast as the thousandth. Every second request is signed in as the warm-up user, so the per-user sources'
 * clients are warm too (the AWS SDK's first call alone can take longer than a budget). Searches are warmed the same way.
 */
final class Warmup {
    private static final Logger LOG = Logger.getLogger(Warmup.class.getName());

    private volatile boolean done;

    boolean done() {
        return done;
    }

    void run(int apiPort, Collection<String> surfaces, int requestsPerSurface, String user) {
        long started = System.nanoTime();
        int answered = 0;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            for (int i = 0; i < requestsPerSurface; i++) {
                String signedIn = user.isEmpty() || i % 2 == 0 ? "" : "&user=" + user;
                List<String> paths = new ArrayList<>();
                surfaces.forEach(surface -> paths.add("/v1/recommendations?surface=" + surface + signedIn));
                // Searches too (their first full query with facets is as cold as a fan-out); feeds would leave
                // points in time open, and share the search's client and code.
                paths.add("/v1/search?q=warm%20up&size=20&filter.category=warmup" + signedIn);
                for (String path : paths) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                            .header("X-Request-Id", "warmup-" + i)
                            .header("Accept-Encoding", "gzip")
                            .timeout(Duration.ofSeconds(5))
                            .build();
                    try {
                        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                            answered++;
                        }
                    } catch (java.io.IOException e) {
                        LOG.fine(() -> "warm-up request failed: " + e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done = true;
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        int total = answered;
        LOG.info(() -> "warmed up with " + total + " requests in " + millis + " ms");
    }
}

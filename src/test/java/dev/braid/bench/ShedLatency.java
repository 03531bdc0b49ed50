package dev.braid.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.testing.RawHttp;

/**
 * {@code bin/bench shed}: how long a shed answer takes. Against a running {@code bin/dev} whose budget outlasts the
 * measurement and whose trending source holds a whole bound of calls ({@code SURFACES_HOME_BUDGET=5s
 * SOURCES_TRENDING_TIMEOUT=5s SOURCES_TRENDING_BULKHEAD_MAX_dash_CONCURRENT=512 SOURCES_TRENDING_MAX_dash_CONNECTIONS=512
 * SOURCES_TRENDING_BREAKER_VOLUME=100000 bin/dev}): hangs the simulated trending
 * service, fills the first replica up to its bound ({@code server.max-concurrent-requests}, read from
 * {@code /admin/config}) with requests that wait on it, then sends {@code count} more one after another, each on a
 * connection opened beforehand, and prints the latencies of their answers (the whole 503 problem, as a client reads it).
 * Resets the simulator afterwards.
 *
 * <p>Arguments: the API, the admin port, the simulator control API, the admin token, the count.
 */
public final class ShedLatency {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ShedLatency() {
    }

    public static void main(String[] args) throws Exception {
        URI api = URI.create(args[0]);
        URI admin = URI.create(args[1]);
        URI sim = URI.create(args[2]);
        String token = args[3];
        int count = Integer.parseInt(args[4]);
        int bound = JSON.readTree(CLIENT.send(HttpRequest.newBuilder(admin.resolve("/admin/config"))
                                                      .header("Authorization", "Bearer " + token).build(),
                                              HttpResponse.BodyHandlers.ofString()).body())
                .get("server").get("max-concurrent-requests").asInt();
        int port = api.getPort();
        List<RawHttp> held = new ArrayList<>();
        post(sim.resolve("/sim/trending/mode"), "{\"mode\": \"hang\"}");
        try {
            long hung = stats(sim);
            for (int i = 0; i < bound; i++) {
                RawHttp connection = RawHttp.connectFrom(client(1, i), port);
                connection.send(get("shed-held-" + System.nanoTime() + "-" + i));
                held.add(connection);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (stats(sim) - hung < bound && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            System.err.println("bin/bench: " + (stats(sim) - hung) + " of " + bound + " requests held on the hung "
                               + "trending service; sending " + count + " more");
            List<RawHttp> excess = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                excess.add(RawHttp.connectFrom(client(2, i), port));
            }
            List<Long> shed = new ArrayList<>();
            int answered = 0;
            for (RawHttp connection : excess) {
                long started = System.nanoTime();
                connection.send(get("shed-" + System.nanoTime()));
                RawHttp.Response response = connection.firstResponse(Duration.ofSeconds(10));
                long took = System.nanoTime() - started;
                connection.close();
                if (response.status() == 503) {
                    shed.add(took);
                } else {
                    answered++;
                }
            }
            Collections.sort(shed);
            System.out.printf("shed %d of %d (%d not shed: the replica was below its bound)%n", shed.size(), count,
                              answered);
            if (!shed.isEmpty()) {
                for (double p : new double[] {50, 90, 99}) {
                    long value = shed.get((int) Math.ceil(p / 100 * shed.size()) - 1);
                    System.out.printf("p%.0f %.2f ms%n", p, value / 1e6);
                }
                System.out.printf("max %.2f ms%n", shed.getLast() / 1e6);
            }
        } finally {
            post(sim.resolve("/sim/trending/reset"), "");
            held.forEach(RawHttp::close);
        }
    }

    /**
     * A loopback address of its own for every few connections: the API port allows each client address 256 open
     * connections ({@code server.connections.per-client}), and this is many clients, not one.
     */
    private static String client(int group, int i) {
        return "127.0." + group + "." + (i % 250 + 1);
    }

    private static String get(String user) {
        return "GET /v1/recommendations?user=" + user + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    private static long stats(URI sim) throws Exception {
        return JSON.readTree(CLIENT.send(HttpRequest.newBuilder(sim.resolve("/sim/trending/stats")).build(),
                                         HttpResponse.BodyHandlers.ofString()).body()).get("requests").asLong();
    }

    private static void post(URI uri, String body) throws Exception {
        CLIENT.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
    }
}

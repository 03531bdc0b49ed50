package dev.braid.http;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.testing.EmbeddedRedis;
import dev.braid.testing.FaultMode;
import dev.braid.testing.FaultProxy;
import dev.braid.testing.RedisExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inbound rate limits through three replicas sharing one real Redis: one count per caller and endpoint class for the
 * whole fleet, the RateLimit header fields on every answer, 429 with Retry-After equal to the reset, X-Forwarded-For
 * believed only from trusted proxies, and, with Redis unreachable, each replica allowing its share of the quota.
 */
@ExtendWith(RedisExtension.class)
class RateLimitIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUOTA = 12;
    private static final int REPLICAS = 3;
    private static final Pattern RATE_LIMIT = Pattern.compile("\"(\\w+)\";r=(\\d+);t=(\\d+)");
    private static final AtomicInteger CALLERS = new AtomicInteger();

    private static FaultProxy redisProxy;
    private static final List<Braid> replicas = new ArrayList<>();
    private static Braid behindProxy;

    @BeforeAll
    static void start(EmbeddedRedis redis) {
        redisProxy = FaultProxy.start("redis", new InetSocketAddress("127.0.0.1", redis.port()), 0);
        for (int i = 0; i < REPLICAS; i++) {
            replicas.add(Main.start(TestConfigs.local(limits(Map.of(
                    "redis.url", "redis://127.0.0.1:" + redisProxy.port())))));
        }
        behindProxy = Main.start(TestConfigs.local(limits(Map.of(
                "redis.url", redis.uri(),
                "server.trusted-proxies", "127.0.0.0/8"))));
    }

    private static Map<String, String> limits(Map<String, String> more) {
        Map<String, String> overrides = new LinkedHashMap<>(more);
        overrides.put("rate-limits.replicas", String.valueOf(REPLICAS));
        for (String endpointClass : List.of("recommendations", "search", "items", "events")) {
            overrides.put("rate-limits." + endpointClass + ".quota", String.valueOf(QUOTA));
            overrides.put("rate-limits." + endpointClass + ".window", "60s");
        }
        // The shared tier's breaker opens after one failure, so a dead Redis is noticed on the first request.
        overrides.put("redis.breaker.failures", "1");
        overrides.put("redis.breaker.open-for", "200ms");
        overrides.put("redis.timeout", "200ms");
        overrides.put("surfaces.home.fallback-items", "i1,i2");
        overrides.put("sources.trending.url", "http://127.0.0.1:9/v1/trending");
        return overrides;
    }

    @AfterAll
    static void stop() {
        replicas.forEach(Braid::stop);
        behindProxy.stop();
        redisProxy.close();
    }

    @AfterEach
    void heal() {
        redisProxy.reset();
    }

    @Test
    void oneCallerSharesOneCountAcrossEveryReplica() throws Exception {
        String user = "rl-" + CALLERS.incrementAndGet();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < QUOTA + 3; i++) {
            answers.add(get(replicas.get(i % REPLICAS), "/v1/recommendations?user=" + user, Map.of()));
        }

        assertThat(answers.subList(0, QUOTA)).allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(200));
        for (int i = 0; i < QUOTA; i++) {
            HttpResponse<String> answer = answers.get(i);
            assertThat(answer.headers().firstValue("RateLimit-Policy")).contains("\"recommendations\";q=" + QUOTA + ";w=60");
            assertThat(remaining(answer)).isEqualTo(QUOTA - 1 - i);
        }
        for (HttpResponse<String> refused : answers.subList(QUOTA, QUOTA + 3)) {
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
            long reset = reset(refused);
            // One request comes back every window / quota = 5 s.
            assertThat(reset).isBetween(1L, 5L);
            assertThat(refused.headers().firstValue("Retry-After")).contains(String.valueOf(reset));
            assertThat(remaining(refused)).isZero();
            assertThat(JSON.readTree(refused.body()).get("detail").asText())
                    .contains("at most " + QUOTA + " requests per 60 s");
        }
        // Another caller, and the same caller on another endpoint class, have counts of their own.
        assertThat(get(replicas.getFirst(), "/v1/recommendations?user=" + user + "-other", Map.of()).statusCode())
                .isEqualTo(200);
        assertThat(get(replicas.getFirst(), "/v1/search?user=" + user + "&q=x", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void everyAnswerOfALimitedEndpointCarriesTheFieldsErrorsAndRevalidationsToo() throws Exception {
        String user = "rl-" + CALLERS.incrementAndGet();
        Braid replica = replicas.get(1);
        HttpResponse<String> bad = get(replica, "/v1/recommendations?user=" + user + "&n=0", Map.of());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(remaining(bad)).isEqualTo(QUOTA - 1);

        HttpResponse<String> first = get(replica, "/v1/recommendations?user=" + user, Map.of());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> notModified = get(replica, "/v1/recommendations?user=" + user,
                                               Map.of("If-None-Match", etag));
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(remaining(notModified)).isEqualTo(QUOTA - 3);

        HttpResponse<String> missing = get(replica, "/v1/items/no-such-item", Map.of());
        assertThat(missing.headers().firstValue("RateLimit-Policy")).contains("\"items\";q=" + QUOTA + ";w=60");
        // Operational endpoints are not limited.
        assertThat(CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.adminPort()
                                                                 + "/observe/health/ready")).build(),
                               HttpResponse.BodyHandlers.ofString()).headers().firstValue("RateLimit")).isEmpty();
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() throws Exception {
        String client = "203.0.113." + CALLERS.incrementAndGet();
        // Behind the trusted proxy: the rightmost untrusted hop is the caller; what the client wrote to its left is not.
        for (int i = 0; i < QUOTA; i++) {
            String spoofed = "198.51.100." + i + ", " + client;
            assertThat(get(behindProxy, "/v1/feed", Map.of("X-Forwarded-For", spoofed)).statusCode()).isEqualTo(200);
        }
        assertThat(get(behindProxy, "/v1/feed", Map.of("X-Forwarded-For", "198.51.100.99, " + client)).statusCode())
                .isEqualTo(429);
        assertThat(get(behindProxy, "/v1/feed", Map.of("X-Forwarded-For", client + "1")).statusCode()).isEqualTo(200);

        // Not behind a trusted proxy: the header changes nothing; every anonymous request here is the loopback caller.
        Braid direct = replicas.get(2);
        long before = remaining(get(direct, "/v1/items/i1", Map.of("X-Forwarded-For", "192.0.2.1")));
        long after = remaining(get(direct, "/v1/items/i1", Map.of("X-Forwarded-For", "192.0.2.2")));
        assertThat(after).isEqualTo(before - 1);
    }

    @Test
    void withRedisUnreachableEachReplicaAllowsItsShareAndCountsTheFallback() throws Exception {
        redisProxy.mode(FaultMode.DOWN, Duration.ZERO, Duration.ZERO);
        String user = "rl-" + CALLERS.incrementAndGet();
        long fallbacks = fallbacks(replicas.getFirst());
        int share = QUOTA / REPLICAS;
        for (Braid replica : replicas) {
            for (int i = 0; i < share; i++) {
                assertThat(get(replica, "/v1/recommendations?user=" + user, Map.of()).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> over = get(replica, "/v1/recommendations?user=" + user, Map.of());
            assertThat(over.statusCode()).isEqualTo(429);
            assertThat(over.headers().firstValue("RateLimit-Policy"))
                    .contains("\"recommendations\";q=" + share + ";w=60");
        }
        // The three replicas share one meter registry in this JVM: every decision above was a fallback.
        assertThat(fallbacks(replicas.getFirst()) - fallbacks).isEqualTo((long) REPLICAS * (share + 1));
    }

    private static long fallbacks(Braid replica) throws Exception {
        String metrics = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.adminPort()
                                                                       + "/observe/metrics")).build(),
                                     HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = Pattern.compile("braid_ratelimit_local_fallbacks_total\\{class=\"recommendations\"[^}]*} ([0-9.]+)")
                .matcher(metrics);
        assertThat(matcher.find()).as("fallback meter in %s", metrics.length()).isTrue();
        return (long) Double.parseDouble(matcher.group(1));
    }

    private static long remaining(HttpResponse<String> answer) {
        return Long.parseLong(field(answer).group(2));
    }

    private static long reset(HttpResponse<String> answer) {
        return Long.parseLong(field(answer).group(3));
    }

    private static Matcher field(HttpResponse<String> answer) {
        String header = answer.headers().firstValue("RateLimit").orElseThrow(
                () -> new AssertionError("no RateLimit header on a " + answer.statusCode()));
        Matcher matcher = RATE_LIMIT.matcher(header);
        assertThat(matcher.matches()).as("RateLimit: %s", header).isTrue();
        return matcher;
    }

    private static HttpResponse<String> get(Braid replica, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.apiPort() + path))
                .timeout(Duration.ofSeconds(5));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

package dev.braid.monitoring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.braid.Braid;
import dev.braid.Main;
import dev.braid.TestConfigs;
import dev.braid.dev.DemoCatalog;
import dev.braid.sim.TrendingSimulator;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitoring of {@code monitoring/} checked with the real tools and against a real instance: the rules pass
 * {@code promtool check rules}; every alert has a {@code promtool test rules} case where it fires and one where it stays
 * quiet, and they pass; every alert's runbook link names a section of docs/runbook.md; the PrometheusRule holds the
 * same rules; every dashboard query is valid PromQL; and every metric the rules and the dashboard query exists on a
 * running instance's {@code /observe/metrics}. promtool comes from {@code bin/tools/install-promtool} when missing.
 */
class MonitoringRulesTest {
    private static final Path RULES = Path.of("monitoring/prometheus/braid-rules.yaml");
    private static final Path RULE_TESTS = Path.of("monitoring/prometheus/braid-rules-test.yaml");
    private static final Path OPERATOR_RULES = Path.of("monitoring/prometheusrule.yaml");
    private static final Path DASHBOARD = Path.of("monitoring/grafana/braid-dashboard.json");
    private static final Path RUNBOOK = Path.of("docs/runbook.md");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** PromQL words that are not metric names. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
                                                       "group_left", "group_right", "offset", "bool", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private static String promtool;
    private static JsonNode rules;

    @TempDir
    static Path scratch;

    @BeforeAll
    static void tools() throws Exception {
        promtool = promtool();
        rules = YAML.readTree(RULES.toFile());
    }

    @Test
    void theRulesPassPromtoolCheck() throws Exception {
        assertThat(run(promtool, "check", "rules", RULES.toString())).contains("SUCCESS");
    }

    @Test
    void everyAlertFiresAndStaysQuietInPromtoolsUnitTests() throws Exception {
        assertThat(run(promtool, "test", "rules", RULE_TESTS.toString())).contains("SUCCESS");

        JsonNode tests = YAML.readTree(RULE_TESTS.toFile()).get("tests");
        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test : tests) {
            for (JsonNode check : test.get("alert_rule_test")) {
                (check.get("exp_alerts").isEmpty() ? quiet : firing).add(check.get("alertname").asText());
            }
        }
        assertThat(firing).as("alerts with a test where they fire").isEqualTo(alerts());
        assertThat(quiet).as("alerts with a test where they stay quiet").isEqualTo(alerts());
    }

    @Test
    void everyAlertLinksItsRunbookSection() throws IOException {
        Set<String> anchors = new TreeSet<>();
        for (String line : Files.readAllLines(RUNBOOK)) {
            if (line.startsWith("#")) {
                anchors.add(line.replaceFirst("^#+ ", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "")
                                    .replace(' ', '-'));
            }
        }
        for (JsonNode rule : rules(rules)) {
            if (rule.has("alert")) {
                String url = rule.at("/annotations/runbook_url").asText();
                assertThat(url).as(rule.get("alert").asText()).contains("docs/runbook.md#");
                assertThat(anchors).as(url).contains(url.substring(url.indexOf('#') + 1));
                assertThat(rule.at("/labels/severity").asText()).isIn("page", "ticket");
                assertThat(rule.at("/annotations/summary").asText()).isNotBlank();
            }
        }
    }

    @Test
    void theOperatorsPrometheusRuleHoldsTheSameRules() throws IOException {
        JsonNode operator = YAML.readTree(OPERATOR_RULES.toFile());
        assertThat(operator.get("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(operator.get("spec")).isEqualTo(rules);
    }

    @Test
    void everyDashboardQueryIsValidPromQl() throws Exception {
        StringBuilder asRules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (String query : dashboardQueries()) {
            asRules.append("      - record: dashboard:query").append(n++).append("\n        expr: ")
                    .append(JSON.writeValueAsString(query)).append('\n');
        }
        Path file = scratch.resolve("dashboard-rules.yaml");
        Files.writeString(file, asRules);
        assertThat(n).isGreaterThan(30);
        assertThat(run(promtool, "check", "rules", file.toString())).contains("SUCCESS");
    }

    @Test
    void everyMetricTheRulesAndTheDashboardUseExistsOnARunningInstance() throws Exception {
        Set<String> recorded = new TreeSet<>();
        List<String> queries = new ArrayList<>(dashboardQueries());
        for (JsonNode rule : rules(rules)) {
            if (rule.has("record")) {
                recorded.add(rule.get("record").asText());
            }
            queries.add(rule.get("expr").asText());
        }
        Set<String> used = new TreeSet<>();
        queries.forEach(query -> used.addAll(metricNames(query)));
        Set<String> exposed = exposedNames();

        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exposed);
        missing.removeAll(recorded);
        assertThat(missing).as("metrics queried by monitoring/ but absent from /observe/metrics").isEmpty();
        assertThat(used).contains("http_server_request_duration_seconds_bucket", "braid_source_breaker_state",
                                  "braid_exposures_total", "jvm_memory_used_bytes");
    }

    /** The metric names a PromQL expression reads (recording rules' names included). */
    static Set<String> metricNames(String query) {
        String bare = query.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(bare);
        while (matcher.find()) {
            String word = matcher.group(1);
            if (matcher.group(2) == null && !KEYWORDS.contains(word.toLowerCase(Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    @Test
    void metricNamesAreReadFromQueries() {
        assertThat(metricNames("sum by (job, le) (rate(a_total{x=\"y\",le=\"0.2\"}[5m])) / ignoring(z) group_left "
                               + "b:c:rate5m offset 1h > 0.5 and on (job) max(c_bytes) or vector(1)"))
                .containsExactlyInAnyOrder("a_total", "b:c:rate5m", "c_bytes");
    }

    private static Set<String> alerts() {
        Set<String> alerts = new TreeSet<>();
        rules(rules).forEach(rule -> {
            if (rule.has("alert")) {
                alerts.add(rule.get("alert").asText());
            }
        });
        return alerts;
    }

    private static List<JsonNode> rules(JsonNode file) {
        List<JsonNode> all = new ArrayList<>();
        file.get("groups").forEach(group -> group.get("rules").forEach(all::add));
        return all;
    }

    private static List<String> dashboardQueries() throws IOException {
        List<String> queries = new ArrayList<>();
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.get("expr").asText().replace("$__rate_interval", "5m").replace("$job", "braid"));
            }
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (variable.path("definition").isTextual()) {
                Matcher metric = Pattern.compile("label_values\\((\\w+)").matcher(variable.get("definition").asText());
                if (metric.find()) {
                    queries.add(metric.group(1));
                }
            }
        }
        return queries;
    }

    /** Every name on a running instance's /observe/metrics, histogram and summary series included. */
    private static Set<String> exposedNames() throws Exception {
        try (TrendingSimulator trending = new TrendingSimulator(DemoCatalog.itemIds(100), Duration.ofMillis(1)).start(0)) {
            Braid braid = Main.start(TestConfigs.local(Map.of("sources.trending.url", trending.endpoint())));
            try {
                HttpClient client = HttpClient.newHttpClient();
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + braid.apiPort()
                                                              + "/v1/recommendations?user=u1")).build(),
                            HttpResponse.BodyHandlers.discarding());
                // The GC pause timer appears with the first collection it hears of, which a live instance has long
                // had and this JVM may not have had yet: one is asked for, and its notification awaited (bounded).
                System.gc();
                Set<String> names = Set.of();
                for (int scrape = 0; scrape < 50 && !names.contains("jvm_gc_pause_seconds_sum"); scrape++) {
                    if (scrape > 0) {
                        Thread.sleep(100);
                    }
                    names = scrape(client, braid);
                }
                return names;
            } finally {
                braid.stop();
            }
        }
    }

    private static Set<String> scrape(HttpClient client, Braid braid) throws Exception {
        String metrics = client.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + braid.adminPort() + "/observe/metrics")).build(),
                                     HttpResponse.BodyHandlers.ofString()).body();
        Set<String> names = new TreeSet<>();
        metrics.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    /** promtool on the PATH, or installed by the project's own script. */
    private static String promtool() throws Exception {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "promtool"))) {
                return Path.of(dir, "promtool").toString();
            }
        }
        String installed = run("bin/tools/install-promtool").strip();
        assertThat(Path.of(installed)).as("promtool installed by bin/tools/install-promtool").isExecutable();
        return installed;
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as(String.join(" ", command) + " ended").isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + text).isZero();
        return text;
    }
}

package dev.braid.k8s;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.braid.BraidConfig;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every overlay under k8s/overlays, rendered by kustomize itself (bin/tools/kustomize-build), is what the cluster would
 * be sent: each object validates strictly against the Kubernetes API (KubernetesModel), and the whole agrees with the
 * application it runs: ports, probe paths, configuration keys, shutdown timing, selectors, the files the JVM reads and
 * writes, the network it needs, the monitoring that scrapes it.
 */
class KubernetesManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(Rendered.OVERLAYS)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void theThreeEnvironmentsHaveOverlays() throws IOException {
        assertThat(overlays()).contains("dev", "staging", "production");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void rendersEveryPieceInOneNamespace(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        rendered.deployment();
        rendered.hpa();
        rendered.pdb();
        rendered.serviceAccount();
        assertThat(rendered.services()).extracting(s -> s.getMetadata().getName()).containsExactlyInAnyOrder("braid", "braid-admin");
        assertThat(rendered.networkPolicies()).isNotEmpty();
        assertThat(rendered.objects()).extracting(o -> o.getMetadata().getNamespace()).doesNotContainNull().containsOnly(
                rendered.deployment().getMetadata().getNamespace());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theConfigurationItGivesIsValid(String overlay) {
        // BraidConfig.create rejects an unknown key: every variable of braid-env names a setting.
        BraidConfig config = Rendered.overlay(overlay).podConfig();

        assertThat(config.server().adminEnabled()).isTrue();
        assertThat(config.observe().logFormat()).isEqualTo("json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyVariableItSetsNamesAKeyOfTheConfigurationFile(String overlay) throws IOException {
        // BraidConfig rejects unknown keys inside a section, not a misspelt section: each name is looked up here.
        Rendered rendered = Rendered.overlay(overlay);
        JsonNode file = YAML.readTree(rendered.mountedFile(JvmOptions.of(rendered).systemProperty("config.file")));
        List<String> names = new ArrayList<>(Rendered.secretExample().getStringData().keySet());
        rendered.braid().getEnvFrom().stream().filter(s -> s.getConfigMapRef() != null)
                .forEach(s -> names.addAll(rendered.configMap(s.getConfigMapRef().getName()).getData().keySet()));
        rendered.braid().getEnv().stream().map(EnvVar::getName)
                .filter(name -> !name.equals(JvmOptions.VARIABLE) && !name.equals("CONTAINER_CPUS")).forEach(names::add);
        assertThat(names).isNotEmpty().allSatisfy(name -> {
            String key = name.toLowerCase(java.util.Locale.ROOT).replace("_dash_", "-").replace('_', '.');
            assertThat(file.at("/" + key.replace('.', '/')).isMissingNode()).as("%s: %s in config/application.yaml", name, key)
                    .isFalse();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void portsAndProbesMatchTheServer(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        BraidConfig config = rendered.podConfig();
        Container braid = rendered.braid();
        Map<String, Integer> ports = new HashMap<>();
        for (ContainerPort port : braid.getPorts()) {
            ports.put(port.getName(), port.getContainerPort());
        }
        assertThat(ports).containsEntry("http", config.server().port()).containsEntry("admin", config.server().adminPort());

        assertThat(braid.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/ready");
        assertThat(braid.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
        assertThat(braid.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");
        assertThat(braid.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
        assertThat(braid.getStartupProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
        assertThat(rendered.deployment().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/port", Integer.toString(config.server().adminPort()))
                .containsEntry("prometheus.io/path", "/observe/metrics");

        for (Service service : rendered.services()) {
            service.getSpec().getPorts().forEach(port -> assertThat(ports).containsKey(port.getTargetPort().getStrVal()));
        }
        assertThat(rendered.named(Service.class, "braid").getSpec().getPorts())
                .extracting(p -> p.getTargetPort().getStrVal()).containsExactly("http");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theKillComesOnlyAfterPreStopAndTheDrain(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        PodSpec pod = rendered.deployment().getSpec().getTemplate().getSpec();
        long preStop = rendered.braid().getLifecycle().getPreStop().getSleep().getSeconds();
        Duration needed = Duration.ofSeconds(preStop).plus(rendered.podConfig().server().shutdownGrace());
        assertThat(Duration.ofSeconds(pod.getTerminationGracePeriodSeconds())).isGreaterThan(needed);
        assertThat(pod.getEnableServiceLinks()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void selectorsAndTargetsPointAtTheDeployment(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Deployment deployment = rendered.deployment();
        Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(labels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(labels).containsAllEntriesOf(rendered.pdb().getSpec().getSelector().getMatchLabels());
        rendered.services().forEach(service -> assertThat(labels).containsAllEntriesOf(service.getSpec().getSelector()));
        rendered.networkPolicies().forEach(policy ->
                assertThat(labels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels()));
        assertThat(rendered.hpa().getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        // The HPA owns the count: a replicas field would reset it on every apply.
        assertThat(deployment.getSpec().getReplicas()).isNull();
        int minReplicas = rendered.hpa().getSpec().getMinReplicas();
        assertThat(minReplicas).isGreaterThan(rendered.pdb().getSpec().getMaxUnavailable().getIntVal());
        // While Redis is down each pod allows quota / rate-limits.replicas: the fleet's least count keeps it a quota.
        assertThat(rendered.podConfig().rateLimits().replicas()).isEqualTo(minReplicas);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void thePodReadsItsFilesFromTheGeneratedConfigMaps(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        List<String> referenced = new ArrayList<>();
        rendered.braid().getEnvFrom().stream().filter(s -> s.getConfigMapRef() != null)
                .forEach(s -> referenced.add(s.getConfigMapRef().getName()));
        rendered.deployment().getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
                .forEach(v -> referenced.add(v.getConfigMap().getName()));
        // Generated names carry a hash of the content: a change is a new name, and so a rollout.
        assertThat(referenced).hasSize(2).allSatisfy(name -> assertThat(name).matches("braid-(config|env)-[a-z0-9]{10}"));
        referenced.forEach(rendered::configMap);

        // The file the JVM is told to read is config/application.yaml itself, as the image holds it.
        String configFile = JvmOptions.of(rendered).systemProperty("config.file");
        assertThat(rendered.mountedFile(configFile)).isEqualTo(read(Path.of("config", "application.yaml")));
        assertThat(rendered.mountedFile(rendered.env("EXPERIMENTS_FILE"))).isEqualTo(read(Path.of("config", "experiments.yaml")));
    }

    @Test
    void editingTheConfigurationFileRenamesItsConfigMap(@TempDir Path copy) throws IOException {
        for (String dir : List.of("k8s", "config", "monitoring")) {
            copyTree(Path.of(dir), copy.resolve(dir));
        }
        Files.writeString(copy.resolve("config/application.yaml"), "\n# edited\n", java.nio.file.StandardOpenOption.APPEND);

        String before = configVolume(Rendered.overlay("dev"));
        String after = configVolume(Rendered.render("dev (edited)", copy.resolve("k8s/overlays/dev")));
        assertThat(after).startsWith("braid-config-").isNotEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void thePodRunsLockedDown(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        PodSpec pod = rendered.deployment().getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        var container = rendered.braid().getSecurityContext();
        assertThat(container.getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getCapabilities().getAdd()).isNullOrEmpty();

        // Its own identity, without a Kubernetes API token; AWS reaches it through IRSA's role annotation.
        ServiceAccount account = rendered.serviceAccount();
        assertThat(pod.getServiceAccountName()).isEqualTo(account.getMetadata().getName());
        assertThat(account.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(account.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn"))
                .matches("arn:aws:iam::\\d{12}:role/.+");

        // Spread over zones and nodes, each counted within one rollout's pods.
        assertThat(pod.getTopologySpreadConstraints()).extracting(c -> c.getTopologyKey())
                .contains("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theJvmSizesItselfToTheContainer(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        JvmOptions jvm = JvmOptions.of(rendered);
        var resources = rendered.braid().getResources();
        // Memory requested is memory guaranteed: the heap is a share of a limit the node really has.
        assertThat(resources.getLimits().get("memory")).isEqualTo(resources.getRequests().get("memory"));
        assertThat(resources.getLimits()).doesNotContainKey("cpu");
        // A heap fixed from the start: never resized, and what it will be is known at start-up.
        assertThat(jvm.option("MaxRAMPercentage")).isEqualTo(jvm.option("InitialRAMPercentage"));
        double share = Double.parseDouble(jvm.option("MaxRAMPercentage"));
        assertThat(share).isBetween(50.0, 75.0);

        // The CPUs requested, rounded up by the divisor, defined before the variable that refers to it.
        assertThat(jvm.option("ActiveProcessorCount")).isEqualTo("$(CONTAINER_CPUS)");
        List<EnvVar> env = rendered.braid().getEnv();
        int cpus = env.indexOf(env.stream().filter(e -> e.getName().equals("CONTAINER_CPUS")).findFirst().orElseThrow());
        int options = env.indexOf(env.stream().filter(e -> e.getName().equals(JvmOptions.VARIABLE)).findFirst().orElseThrow());
        assertThat(cpus).isLessThan(options);
        var field = env.get(cpus).getValueFrom().getResourceFieldRef();
        assertThat(field.getResource()).isEqualTo("requests.cpu");
        assertThat(field.getContainerName()).isEqualTo("braid");
        assertThat(field.getDivisor()).isEqualTo(new Quantity("1"));
        assertThat(resources.getRequests()).containsKey("cpu");

        assertThat(jvm.has("-XX:+ExitOnOutOfMemoryError")).isTrue();
        assertThat(jvm.has("-XX:+UseG1GC")).isTrue();
    }

    /**
     * What one entry of each memory-tier cache holds, measured by bin/l1-footprint (docs/deploy.md#memory): a list of
     * the plan's 100 items, each with its own copy of the item, and one catalog item.
     */
    private static final long MEASURED_LIST_BYTES = 68_133;
    private static final long MEASURED_ITEM_BYTES = 560;
    /** The memory tier may take this share of the heap; the rest is requests in flight and the other caches. */
    private static final double MEMORY_TIER_SHARE = 0.55;

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theMemoryTierFitsTheHeap(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        long limit = bytes(rendered.braid().getResources().getLimits().get("memory"));
        long heap = (long) (limit * Double.parseDouble(JvmOptions.of(rendered).option("MaxRAMPercentage")) / 100);
        long tier = rendered.podConfig().cache().l1Size() * (MEASURED_LIST_BYTES + MEASURED_ITEM_BYTES);
        assertThat(tier).as("cache.l1-size x measured entry bytes, of a %d MB heap", heap >> 20)
                .isLessThanOrEqualTo((long) (heap * MEMORY_TIER_SHARE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyFileTheJvmWritesIsOnAWritableVolumeThatHoldsIt(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        JvmOptions jvm = JvmOptions.of(rendered);
        Map<String, String> recording = jvm.parameters("StartFlightRecording");
        assertThat(recording).containsKeys("maxsize", "maxage").containsEntry("disk", "true").containsEntry("dumponexit", "true");
        String repository = jvm.parameters("FlightRecorderOptions").get("repository");

        // The continuous recording's chunks, at most maxsize, and its copy written at exit, as much again.
        long recordingBytes = jfrSize(recording.get("maxsize"));
        Volume jfr = writableVolumeHolding(rendered, repository);
        assertThat(writableVolumeHolding(rendered, recording.get("filename"))).isEqualTo(jfr);
        assertThat(bytes(jfr.getEmptyDir().getSizeLimit())).isGreaterThanOrEqualTo(2 * recordingBytes);

        // Recordings started through /admin/jfr, in the JVM's temporary directory, and the JVM's own files there.
        var recordings = rendered.podConfig().observe().recordings();
        assertThat(recordings.directory()).isEmpty();
        Volume tmp = writableVolumeHolding(rendered, "/tmp/braid-jfr");
        assertThat(bytes(tmp.getEmptyDir().getSizeLimit())).isGreaterThanOrEqualTo(recordings.maxCount() * recordings.maxSizeBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theAdminPortIsReachableOnlyFromMonitoring(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        List<NetworkPolicyIngressRule> rules = new ArrayList<>();
        rendered.networkPolicies().stream().filter(p -> p.getSpec().getIngress() != null)
                .forEach(p -> rules.addAll(p.getSpec().getIngress()));
        assertThat(rules).anySatisfy(rule -> assertThat(rule.getPorts()).extracting(p -> p.getPort().getStrVal()).contains("http"));
        List<NetworkPolicyIngressRule> admin = rules.stream()
                .filter(rule -> rule.getPorts() == null || rule.getPorts().isEmpty()
                        || rule.getPorts().stream().anyMatch(p -> "admin".equals(p.getPort().getStrVal())))
                .toList();
        assertThat(admin).isNotEmpty().allSatisfy(rule -> assertThat(rule.getFrom()).isNotEmpty().allSatisfy(peer -> {
            assertThat(peer.getIpBlock()).isNull();
            assertThat(peer.getNamespaceSelector().getMatchLabels()).containsExactly(Map.entry("kubernetes.io/metadata.name", "monitoring"));
        }));
        assertThat(rendered.networkPolicies()).anySatisfy(p -> assertThat(p.getSpec().getPolicyTypes()).contains("Ingress"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void egressAllowsWhatBraidCallsAndNothingOnOtherPorts(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        List<Integer> allowed = new ArrayList<>();
        for (NetworkPolicy policy : rendered.networkPolicies()) {
            // fabric8 reads an absent list as an empty one.
            if (policy.getSpec().getEgress() == null || policy.getSpec().getEgress().isEmpty()) {
                continue;
            }
            assertThat(policy.getSpec().getPolicyTypes()).contains("Egress");
            policy.getSpec().getEgress().forEach(rule -> {
                // A rule without ports would open every port of its peers.
                assertThat(rule.getPorts()).as("ports of %s", policy.getMetadata().getName()).isNotEmpty();
                rule.getPorts().stream().map(NetworkPolicyPort::getPort).forEach(p -> allowed.add(p.getIntVal()));
            });
        }
        assertThat(allowed).as("egress policies exist").isNotEmpty().contains(53);
        assertThat(downstreamPorts(rendered)).allSatisfy(port -> assertThat(allowed).contains(port));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theMonitoringScrapesTheAdminServiceAndAlertsWithTheCheckedRules(String overlay) throws IOException {
        Rendered rendered = Rendered.overlay(overlay);
        if (overlay.equals("dev")) {
            // A development cluster without the Prometheus Operator: the scrape annotations alone.
            assertThat(rendered.serviceMonitors()).isEmpty();
            return;
        }
        Service admin = rendered.named(Service.class, "braid-admin");
        ServiceMonitor monitor = rendered.serviceMonitors().getFirst();
        assertThat(rendered.serviceMonitors()).hasSize(1);
        assertThat(admin.getMetadata().getLabels()).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.getPath()).isEqualTo("/observe/metrics");
            assertThat(admin.getSpec().getPorts()).extracting(p -> p.getName()).contains(endpoint.getPort());
        });

        // The rules MonitoringRulesTest checks with promtool, as they are in monitoring/.
        PrometheusRule rule = rendered.prometheusRules().getFirst();
        assertThat(rendered.prometheusRules()).hasSize(1);
        PrometheusRule checked = YAML.readValue(Path.of("monitoring", "prometheusrule.yaml").toFile(), PrometheusRule.class);
        assertThat(rule.getSpec()).isEqualTo(checked.getSpec());

        ConfigMap dashboard = rendered.configMap("braid-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.getData().get("braid-dashboard.json"))
                .isEqualTo(read(Path.of("monitoring", "grafana", "braid-dashboard.json")));
    }

    @Test
    void productionUsesRedisClusterAndTls() {
        Rendered production = Rendered.overlay("production");
        BraidConfig config = production.podConfig();
        assertThat(config.redis().cluster()).isTrue();
        assertThat(config.openSearch().url().getScheme()).isEqualTo("https");
        assertThat(production.hpa().getSpec().getMinReplicas()).isGreaterThan(Rendered.overlay("staging").hpa().getSpec().getMinReplicas());
    }

    @Test
    void theImageIsBuiltAndRunByTheProjectsScripts() throws IOException {
        String dockerfile = read(Path.of("k8s", "Dockerfile"));
        assertThat(dockerfile.lines().filter(l -> l.startsWith("FROM "))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(dockerfile).contains("mvn").contains("bin/build-runtime").contains("bin/aot-cache")
                .contains("COPY config/application.yaml /app/config/application.yaml")
                .contains("COPY config/experiments.yaml /app/config/experiments.yaml")
                .contains("\"-XX:AOTCache=/app/braid.aot\"").contains("\"--enable-preview\", \"-jar\", \"/app/braid.jar\"");
        String user = dockerfile.lines().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        // The same uid the pod runs as: files the image holds are readable by it.
        assertThat(user).isEqualTo("USER " + Rendered.overlay("production").deployment().getSpec().getTemplate().getSpec()
                .getSecurityContext().getRunAsUser());
    }

    /** Every port Braid connects to under this overlay's configuration, and DNS. */
    private static Set<Integer> downstreamPorts(Rendered rendered) {
        BraidConfig config = rendered.podConfig();
        Set<Integer> ports = new java.util.TreeSet<>();
        ports.add(port(config.openSearch().url()));
        if (config.redis().cluster()) {
            config.redis().nodes().forEach(node -> ports.add(Integer.parseInt(node.substring(node.lastIndexOf(':') + 1))));
        } else {
            ports.add(port(config.redis().url()));
        }
        if (config.observe().tracing().exporter().equals("otlp")) {
            ports.add(port(config.observe().tracing().endpoint()));
        }
        Config sources = rendered.podSettings().get("sources");
        sources.asNodeList().orElse(List.of()).forEach(source -> source.get("url").asString()
                .ifPresent(url -> ports.add(port(URI.create(url)))));
        return ports;
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return switch (uri.getScheme()) {
            case "https", "rediss" -> 443;
            case "redis" -> 6379;
            default -> 80;
        };
    }

    private static Volume writableVolumeHolding(Rendered rendered, String path) {
        VolumeMount mount = rendered.braid().getVolumeMounts().stream()
                .filter(m -> path.startsWith(m.getMountPath().endsWith("/") ? m.getMountPath() : m.getMountPath() + "/"))
                .findFirst().orElseThrow(() -> new AssertionError(rendered.overlay() + ": " + path
                        + " is on the read-only root file system"));
        assertThat(mount.getReadOnly()).as("mount of %s", path).isNotEqualTo(Boolean.TRUE);
        Volume volume = rendered.deployment().getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(volume.getEmptyDir()).as("volume %s", volume.getName()).isNotNull();
        assertThat(volume.getEmptyDir().getSizeLimit()).as("size limit of %s", volume.getName()).isNotNull();
        return volume;
    }

    /** A JFR size: a number of bytes, or with k, m or g (JFR's units, powers of 1024). */
    private static long jfrSize(String size) {
        String lower = size.toLowerCase(java.util.Locale.ROOT);
        int shift = switch (lower.charAt(lower.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        return Long.parseLong(shift == 0 ? lower : lower.substring(0, lower.length() - 1)) << shift;
    }

    private static long bytes(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).longValue();
    }

    private static String configVolume(Rendered rendered) {
        return rendered.deployment().getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null).findFirst().orElseThrow().getConfigMap().getName();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}

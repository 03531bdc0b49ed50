package dev.braid.k8s;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.braid.BraidConfig;
import dev.braid.TestConfigs;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests under k8s/ parse into the Kubernetes API model with no unknown field anywhere, and agree with the
 * application: ports, probe paths, configuration keys, shutdown timing, selectors.
 */
class KubernetesManifestsTest {
    private static final Path K8S = Path.of("k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyManifestParsesWithoutUnknownFields() throws IOException {
        for (Object resource : List.of(deployment(), configMap(), secret(), pdb(), hpa())) {
            assertNoUnknownFields(resource, resource.getClass().getSimpleName());
        }
        for (Service service : services()) {
            assertNoUnknownFields(service, "Service " + service.getMetadata().getName());
        }
    }

    @Test
    void theEnvironmentItSetsIsAValidConfiguration() throws IOException {
        BraidConfig config = podConfig();

        assertThat(config.openSearch().url().getHost()).isEqualTo("opensearch.search.svc.cluster.local");
        assertThat(config.server().adminEnabled()).isTrue();
    }

    @Test
    void portsAndProbesMatchTheServer() throws IOException {
        BraidConfig config = podConfig();
        Container braid = deployment().getSpec().getTemplate().getSpec().getContainers().getFirst();
        Map<String, Integer> ports = new HashMap<>();
        for (ContainerPort port : braid.getPorts()) {
            ports.put(port.getName(), port.getContainerPort());
        }
        assertThat(ports).containsEntry("http", config.server().port()).containsEntry("admin", config.server().adminPort());

        assertThat(braid.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/ready");
        assertThat(braid.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
        assertThat(braid.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");
        assertThat(braid.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
        assertThat(deployment().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/port", Integer.toString(config.server().adminPort()))
                .containsEntry("prometheus.io/path", "/observe/metrics");

        for (Service service : services()) {
            service.getSpec().getPorts().forEach(port -> assertThat(ports).containsKey(port.getTargetPort().getStrVal()));
        }
        assertThat(services()).filteredOn(s -> s.getMetadata().getName().equals("braid"))
                .flatExtracting(s -> s.getSpec().getPorts()).extracting(p -> p.getTargetPort().getStrVal())
                .containsExactly("http");
    }

    @Test
    void theKillComesOnlyAfterPreStopAndTheDrain() throws IOException {
        BraidConfig config = podConfig();
        Deployment deployment = deployment();
        long preStop = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst()
                .getLifecycle().getPreStop().getSleep().getSeconds();
        Duration needed = Duration.ofSeconds(preStop).plus(config.server().shutdownGrace());
        assertThat(Duration.ofSeconds(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()))
                .isGreaterThan(needed);
        assertThat(deployment.getSpec().getTemplate().getSpec().getEnableServiceLinks()).isFalse();
    }

    @Test
    void selectorsAndTargetsPointAtTheDeployment() throws IOException {
        Map<String, String> labels = deployment().getSpec().getTemplate().getMetadata().getLabels();
        assertThat(labels).containsAllEntriesOf(deployment().getSpec().getSelector().getMatchLabels());
        assertThat(labels).containsAllEntriesOf(pdb().getSpec().getSelector().getMatchLabels());
        services().forEach(service -> assertThat(labels).containsAllEntriesOf(service.getSpec().getSelector()));
        assertThat(hpa().getSpec().getScaleTargetRef().getName()).isEqualTo(deployment().getMetadata().getName());
        assertThat(hpa().getSpec().getMinReplicas()).isGreaterThan(pdb().getSpec().getMaxUnavailable().getIntVal());
    }

    @Test
    void kustomizationListsEveryManifestButTheSecretExample() throws IOException {
        JsonNode kustomization = YAML.readTree(K8S.resolve("kustomization.yaml").toFile());
        List<String> listed = new ArrayList<>();
        kustomization.get("resources").forEach(resource -> listed.add(resource.asText()));
        try (Stream<Path> files = Files.list(K8S)) {
            assertThat(listed).containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml"))
                    .filter(name -> !name.equals("kustomization.yaml") && !name.equals("secret.example.yaml"))
                    .toList());
        }
    }

    @Test
    void theImageRunsTheJarAsTheReadmeSays() throws IOException {
        String dockerfile = Files.readString(K8S.resolve("Dockerfile"));
        assertThat(dockerfile).contains("COPY config/application.yaml /app/config/application.yaml")
                .contains("COPY config/experiments.yaml /app/config/experiments.yaml")
                .contains("\"--enable-preview\", \"-jar\", \"/app/braid.jar\"").contains("COPY target/libs/ /app/libs/");
    }

    /** fabric8 keeps unknown fields in additionalProperties instead of failing: a typo anywhere lands there. */
    private static void assertNoUnknownFields(Object node, String path) {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean || node instanceof Enum) {
            return;
        }
        if (node instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                assertNoUnknownFields(element, path + "[" + i++ + "]");
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> assertNoUnknownFields(value, path + "." + key));
            return;
        }
        if (!node.getClass().getPackageName().startsWith("io.fabric8")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            try {
                Object value = getter.invoke(node);
                if (getter.getName().equals("getAdditionalProperties")) {
                    assertThat((Map<?, ?>) value).as("unknown fields at %s", path).isEmpty();
                } else {
                    assertNoUnknownFields(value, path + "." + getter.getName().substring(3));
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The configuration a pod runs with: the image's application.yaml under the ConfigMap's and Secret's variables. */
    private static BraidConfig podConfig() throws IOException {
        Map<String, String> environment = new HashMap<>(configMap().getData());
        environment.putAll(secret().getStringData());
        return BraidConfig.create(TestConfigs.withEnvironment(environment));
    }

    private static Deployment deployment() throws IOException {
        return YAML.readValue(K8S.resolve("deployment.yaml").toFile(), Deployment.class);
    }

    private static ConfigMap configMap() throws IOException {
        return YAML.readValue(K8S.resolve("configmap.yaml").toFile(), ConfigMap.class);
    }

    private static Secret secret() throws IOException {
        return YAML.readValue(K8S.resolve("secret.example.yaml").toFile(), Secret.class);
    }

    private static PodDisruptionBudget pdb() throws IOException {
        return YAML.readValue(K8S.resolve("pdb.yaml").toFile(), PodDisruptionBudget.class);
    }

    private static HorizontalPodAutoscaler hpa() throws IOException {
        return YAML.readValue(K8S.resolve("hpa.yaml").toFile(), HorizontalPodAutoscaler.class);
    }

    private static List<Service> services() throws IOException {
        try (var parser = YAML.getFactory().createParser(K8S.resolve("service.yaml").toFile())) {
            return YAML.readValues(parser, Service.class).readAll();
        }
    }
}

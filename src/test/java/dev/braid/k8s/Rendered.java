package dev.braid.k8s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.braid.BraidConfig;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;

import static org.assertj.core.api.Assertions.assertThat;

/** What one overlay renders to, each object strictly validated (KubernetesModel), with the questions tests ask of it. */
record Rendered(String overlay, List<HasMetadata> objects) {
    static final Path OVERLAYS = Path.of("k8s", "overlays");
    private static final Path SECRET_EXAMPLE = Path.of("k8s", "base", "secret.example.yaml");
    private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();

    /** k8s/overlays/NAME rendered once per test JVM: rendering forks kustomize. */
    static Rendered overlay(String name) {
        return RENDERED.computeIfAbsent(name, n -> render(n, OVERLAYS.resolve(n)));
    }

    static Rendered render(String name, Path dir) {
        try {
            return new Rendered(name, Kustomize.build(dir).stream().map(KubernetesModel::parse).toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        assertThat(found).as("%s in overlay %s", type.getSimpleName(), overlay).hasSize(1);
        return found.getFirst();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + " renders no " + type.getSimpleName() + " " + name));
    }

    Deployment deployment() {
        return one(Deployment.class);
    }

    Container braid() {
        return deployment().getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("braid")).findFirst().orElseThrow();
    }

    List<Service> services() {
        return all(Service.class);
    }

    HorizontalPodAutoscaler hpa() {
        return one(HorizontalPodAutoscaler.class);
    }

    PodDisruptionBudget pdb() {
        return one(PodDisruptionBudget.class);
    }

    ServiceAccount serviceAccount() {
        return one(ServiceAccount.class);
    }

    List<NetworkPolicy> networkPolicies() {
        return all(NetworkPolicy.class);
    }

    List<ServiceMonitor> serviceMonitors() {
        return all(ServiceMonitor.class);
    }

    List<PrometheusRule> prometheusRules() {
        return all(PrometheusRule.class);
    }

    ConfigMap configMap(String name) {
        return named(ConfigMap.class, name);
    }

    /** The value of one of the container's plain environment variables (null when absent). */
    String env(String name) {
        return braid().getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
                .findFirst().orElse(null);
    }

    /**
     * The configuration a pod of this overlay runs with, built as Braid builds it: the file its JVM options name
     * (-Dconfig.file, in the mounted ConfigMap), under the environment: the ConfigMaps and Secret of envFrom (the
     * Secret as k8s/base/secret.example.yaml shapes it) and the container's own variables.
     */
    BraidConfig podConfig() {
        return BraidConfig.create(podSettings());
    }

    Config podSettings() {
        Map<String, String> environment = new HashMap<>();
        Container braid = braid();
        braid.getEnvFrom().forEach(source -> {
            if (source.getConfigMapRef() != null) {
                environment.putAll(configMap(source.getConfigMapRef().getName()).getData());
            } else if (source.getSecretRef() != null) {
                assertThat(source.getSecretRef().getName()).isEqualTo(secretExample().getMetadata().getName());
                environment.putAll(secretExample().getStringData());
            }
        });
        braid.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> environment.put(e.getName(), e.getValue()));
        // A variable naming a file the pod mounts (EXPERIMENTS_FILE) names here a copy of that file, which Braid reads.
        environment.replaceAll((name, value) -> mounted(value) ? localCopy(value).toString() : value);
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(EnvironmentVariables.expand(environment)),
                        ConfigSources.file(localCopy(JvmOptions.of(this).systemProperty("config.file"))))
                .disableCaching()
                .build();
    }

    private boolean mounted(String path) {
        return path.startsWith("/") && braid().getVolumeMounts().stream()
                .anyMatch(m -> path.startsWith(m.getMountPath().endsWith("/") ? m.getMountPath() : m.getMountPath() + "/"));
    }

    private Path localCopy(String path) {
        try {
            Path copy = Files.createTempFile("mounted", "-" + Path.of(path).getFileName());
            copy.toFile().deleteOnExit();
            Files.writeString(copy, mountedFile(path));
            return copy;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The content of a file the container reads from a ConfigMap volume, by its path in the container. */
    String mountedFile(String path) {
        var spec = deployment().getSpec().getTemplate().getSpec();
        for (var mount : braid().getVolumeMounts()) {
            String prefix = mount.getMountPath().endsWith("/") ? mount.getMountPath() : mount.getMountPath() + "/";
            if (!path.startsWith(prefix)) {
                continue;
            }
            var volume = spec.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
            assertThat(volume.getConfigMap()).as("volume %s holding %s is a ConfigMap", volume.getName(), path).isNotNull();
            String content = configMap(volume.getConfigMap().getName()).getData().get(path.substring(prefix.length()));
            assertThat(content).as("%s: key %s of ConfigMap %s", path, path.substring(prefix.length()),
                    volume.getConfigMap().getName()).isNotNull();
            return content;
        }
        throw new AssertionError(overlay + ": no volume is mounted where " + path + " is read");
    }

    static Secret secretExample() {
        try {
            return new ObjectMapper(new YAMLFactory()).readValue(SECRET_EXAMPLE.toFile(), Secret.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

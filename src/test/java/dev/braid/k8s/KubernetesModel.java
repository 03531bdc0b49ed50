package dev.braid.k8s;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strict validation against the Kubernetes API: each object's apiVersion and kind must be one this deployment is
 * meant to hold, and the object must parse into fabric8's model of that type (generated from the API's OpenAPI schema:
 * Kubernetes 1.34 in fabric8 7.7, and the Prometheus Operator's CRDs) with no field the schema lacks, anywhere.
 * fabric8 keeps an unknown field in additionalProperties instead of failing, so that is where a typo is caught.
 */
final class KubernetesModel {
    /** apiVersion/kind to its model: the API versions of the oldest cluster docs/deploy.md supports. */
    static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private KubernetesModel() {
    }

    /** The object as its model type, after checking it holds nothing the schema does not know. */
    static HasMetadata parse(JsonNode object) {
        String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        Class<? extends HasMetadata> model = TYPES.get(type);
        assertThat(model).as("a model for %s (known: %s)", type, TYPES.keySet()).isNotNull();
        HasMetadata parsed;
        try {
            parsed = JSON.treeToValue(object, model);
        } catch (JsonProcessingException e) {
            throw new AssertionError(type + " does not fit the API's schema: " + e.getOriginalMessage(), e);
        }
        String name = type + " " + parsed.getMetadata().getName();
        assertThat(parsed.getMetadata().getName()).as("metadata.name of %s", type).isNotBlank();
        assertNoUnknownFields(parsed, name);
        return parsed;
    }

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
                    assertThat((Map<?, ?>) value).as("fields the API does not know at %s", path).isEmpty();
                } else {
                    assertNoUnknownFields(value, path + "." + getter.getName().substring(3));
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }
}

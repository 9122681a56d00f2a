package io.pyairtable.metrics.monitoring.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;

/**
 * Checks a Kubernetes object against the published schemas as fabric8 generates its typed model
 * from them (the Kubernetes API's OpenAPI document; the Prometheus Operator's CRDs for
 * ServiceMonitor and PrometheusRule), strictly: the model's catch-all {@code additionalProperties}
 * is switched off, so an unknown or misspelt field fails, as does a value of the wrong type
 * (no coercion of strings to numbers); and the object read back must write out unchanged, so
 * nothing was dropped or reinterpreted on the way.
 *
 * <pre>{@code
 * StrictKubernetesSchema.check(YamlDocuments.read(deploymentYaml)); // throws naming the field
 * }</pre>
 */
final class StrictKubernetesSchema {

  /** kind → apiVersion and model class. */
  private static final Map<String, Map.Entry<String, Class<?>>> KINDS = Map.of(
      "Deployment", Map.entry("apps/v1", Deployment.class),
      "Service", Map.entry("v1", Service.class),
      "ConfigMap", Map.entry("v1", ConfigMap.class),
      "PodDisruptionBudget", Map.entry("policy/v1", PodDisruptionBudget.class),
      "HorizontalPodAutoscaler", Map.entry("autoscaling/v2", HorizontalPodAutoscaler.class),
      "ServiceMonitor", Map.entry("monitoring.coreos.com/v1", ServiceMonitor.class),
      "PrometheusRule", Map.entry("monitoring.coreos.com/v1", PrometheusRule.class));

  private static final ObjectMapper STRICT = strictMapper();

  /** Equal nodes, numbers by value (the model writes a long where YAML read an int). */
  private static final Comparator<JsonNode> SAME_NUMBER = (a, b) ->
      a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

  private StrictKubernetesSchema() {}

  /** The kinds checked. */
  static Set<String> kinds() {
    return KINDS.keySet();
  }

  /** Throws {@link IllegalArgumentException} when {@code object} is not a valid object of a known kind. */
  static void check(JsonNode object) {
    String kind = object.path("kind").asText();
    Map.Entry<String, Class<?>> expected = KINDS.get(kind);
    if (expected == null) {
      throw new IllegalArgumentException("unknown kind: " + kind);
    }
    if (!expected.getKey().equals(object.path("apiVersion").asText())) {
      throw new IllegalArgumentException(kind + " must be " + expected.getKey() + ", is " + object.path("apiVersion"));
    }
    String name = object.path("metadata").path("name").asText();
    if (name.isEmpty()) {
      throw new IllegalArgumentException(kind + " without metadata.name");
    }
    Object typed;
    try {
      typed = STRICT.treeToValue(object, expected.getValue());
    } catch (Exception e) {
      throw new IllegalArgumentException(kind + " " + name + ": " + e.getMessage(), e);
    }
    JsonNode back = STRICT.valueToTree(typed);
    if (!back.equals(SAME_NUMBER, object)) {
      throw new IllegalArgumentException(kind + " " + name + " changes when read by the schema: " + back);
    }
  }

  private static ObjectMapper strictMapper() {
    JsonMapper mapper = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .annotationIntrospector(new JacksonAnnotationIntrospector() {
          @Override
          public Boolean hasAnySetter(Annotated a) {
            return Boolean.FALSE; // fabric8's additionalProperties would swallow any unknown field
          }
        })
        .build();
    mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    return mapper;
  }
}

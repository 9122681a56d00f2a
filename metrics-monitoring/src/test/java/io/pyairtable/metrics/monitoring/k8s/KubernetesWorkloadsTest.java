package io.pyairtable.metrics.monitoring.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.pyairtable.metrics.monitoring.services.MonitoredService;
import io.pyairtable.metrics.monitoring.services.Services;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KubernetesWorkloadsTest {

  private static final MonitoredService USERS = new MonitoredService("user-service", null, "users.internal:9100",
      null, Map.of(), "/healthz", "ghcr.io/example/user-service:1.4.2", null, List.of("USER_DB_PASSWORD"));

  private final KubernetesWorkloads workloads = new KubernetesWorkloads("shop", WorkloadOptions
      .builder(Duration.ofSeconds(12)).imagePattern("registry.example.com/pyairtable-{service}:1.2.3")
      .replicas(3, 9).cpuUtilization(60).secretName("shop-secrets").build());

  @Test
  void aBuiltInServiceRunsTheProjectImageWithServeAndItsProbesEnvAndGracePeriod() {
    List<HasMetadata> objects = workloads.forService(Services.defaults().services().get(2));
    assertThat(objects).extracting(HasMetadata::getKind)
        .containsExactly("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler");
    Deployment d = (Deployment) objects.get(0);
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("registry.example.com/pyairtable-airtable-gateway:1.2.3");
    assertThat(c.getArgs()).containsExactly("serve", "airtable-gateway");
    assertThat(c.getPorts().get(0).getName()).isEqualTo("http");
    assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(8002);
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health");
    // pre-stop 5 s + the 12 s grace + 5 s margin
    assertThat(d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(22L);
    assertThat(c.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
    assertThat(c.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue)))
        .containsEntry("SERVICE_NAME", "airtable-gateway").containsEntry("PORT", "8002").containsEntry("HOST", "0.0.0.0");
    assertThat(c.getEnv().stream().filter(e -> e.getValueFrom() != null)
        .map(e -> e.getName() + "<-" + e.getValueFrom().getSecretKeyRef().getName() + "/"
            + e.getValueFrom().getSecretKeyRef().getKey()))
        .containsExactly("AIRTABLE_API_KEY<-shop-secrets/AIRTABLE_API_KEY",
            "AIRTABLE_WEBHOOK_MAC_SECRET<-shop-secrets/AIRTABLE_WEBHOOK_MAC_SECRET");
    assertThat(c.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("pyairtable-config");
    assertThat(c.getResources().getRequests()).containsOnlyKeys("cpu", "memory");
    assertThat(d.getSpec().getReplicas()).as("left to the autoscaler").isNull();
    assertThat(d.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();

    Service s = (Service) objects.get(1);
    assertThat(s.getMetadata().getLabels()).containsEntry(KubernetesWorkloads.NAME_LABEL, "airtable-gateway");
    assertThat(s.getSpec().getPorts().get(0).getName()).isEqualTo("http");
    assertThat(s.getSpec().getPorts().get(0).getPort()).isEqualTo(8002);
    assertThat(s.getSpec().getSelector()).isEqualTo(Map.of(KubernetesWorkloads.NAME_LABEL, "airtable-gateway"));
    assertThat(((PodDisruptionBudget) objects.get(2)).getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    HorizontalPodAutoscaler hpa = (HorizontalPodAutoscaler) objects.get(3);
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(9);
    assertThat(hpa.getSpec().getMetrics().get(0).getResource().getName()).isEqualTo("cpu");
    assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization()).isEqualTo(60);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("airtable-gateway");
  }

  @Test
  void aServiceWithItsOwnImageKeepsItsEntrypointPortsPathsAndSecrets() {
    Deployment d = (Deployment) workloads.forService(USERS).get(0);
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("ghcr.io/example/user-service:1.4.2");
    assertThat(c.getArgs()).isEmpty();
    assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(9100);
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getEnv()).extracting(EnvVar::getName).contains("USER_DB_PASSWORD");
  }

  @Test
  void theConfigMapHoldsTheRedisConnectionAndEveryServicesUrl() {
    Services services = new Services(List.of(Services.defaults().services().get(0), USERS));
    assertThat(workloads.configMap(services).getData()).containsExactly(
        Map.entry("REDIS_URL", "redis://redis:6379"),
        Map.entry("RATE_LIMIT_REPLICAS", "9"),
        Map.entry("API_GATEWAY_URL", "http://api-gateway:8000"),
        Map.entry("USER_SERVICE_URL", "http://user-service:9100"));
    ConfigMap cluster = new KubernetesWorkloads("shop", WorkloadOptions.builder(Duration.ofSeconds(10))
        .redisClusterNodes("redis-0.redis:6379,redis-1.redis:6379").build()).configMap(services);
    assertThat(cluster.getData()).containsEntry("REDIS_CLUSTER_NODES", "redis-0.redis:6379,redis-1.redis:6379")
        .doesNotContainKey("REDIS_URL");
  }
}

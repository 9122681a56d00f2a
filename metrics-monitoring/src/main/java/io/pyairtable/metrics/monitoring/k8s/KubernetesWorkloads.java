package io.pyairtable.metrics.monitoring.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.pyairtable.metrics.catalog.ServiceCatalog;
import io.pyairtable.metrics.monitoring.services.MonitoredService;
import io.pyairtable.metrics.monitoring.services.Services;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The workloads of the monitored services, as typed fabric8 Kubernetes objects: per service a
 * Deployment (its image, or the one project image running {@code serve SERVICE}; startup, liveness
 * and readiness probes on the service's health paths; resources; a pre-stop delay and
 * {@code terminationGracePeriodSeconds} covering the graceful-shutdown grace; {@code SERVICE_NAME},
 * {@code PORT}, {@code HOST}, the shared ConfigMap and the service's secrets by {@code secretKeyRef}),
 * a Service with the {@code http} port the ServiceMonitor scrapes, a PodDisruptionBudget (one pod
 * at a time) and an autoscaling/v2 HorizontalPodAutoscaler on CPU; plus one ConfigMap with the Redis
 * connection ({@code REDIS_URL} or {@code REDIS_CLUSTER_NODES}), {@code RATE_LIMIT_REPLICAS} (the
 * autoscaler's maximum, so replicas falling back to local limits stay within Airtable's together) and each service's URL
 * ({@code AIRTABLE_GATEWAY_URL=http://airtable-gateway:8002}, ...). No database is bundled, and no
 * {@code prometheus.io} annotation is set: the ServiceMonitors do the scraping.
 *
 * <pre>{@code
 * KubernetesWorkloads workloads = new KubernetesWorkloads("pyairtable",
 *     WorkloadOptions.builder(Duration.ofSeconds(10)).imagePattern("registry/pyairtable-{service}:1.0").build());
 * List<HasMetadata> gateway = workloads.forService(services.services().get(2));
 * ConfigMap config = workloads.configMap(services);
 * }</pre>
 */
public final class KubernetesWorkloads {

  /** The label the Deployment, the Service and the ServiceMonitor select a service's pods by. */
  public static final String NAME_LABEL = "app.kubernetes.io/name";

  /** The container port's name, the one the ServiceMonitor scrapes. */
  public static final String PORT_NAME = "http";

  private final String namespace;
  private final WorkloadOptions options;

  public KubernetesWorkloads(String namespace, WorkloadOptions options) {
    this.namespace = namespace;
    this.options = options;
  }

  /** Deployment, Service, PodDisruptionBudget and HorizontalPodAutoscaler of {@code s}, in that order. */
  public List<HasMetadata> forService(MonitoredService s) {
    return List.of(deployment(s), service(s), disruptionBudget(s), autoscaler(s));
  }

  /** The ConfigMap every Deployment reads its environment from: the Redis connection and the services' URLs. */
  public ConfigMap configMap(Services services) {
    Map<String, String> data = new LinkedHashMap<>();
    if (options.redisClusterNodes() != null) {
      data.put("REDIS_CLUSTER_NODES", options.redisClusterNodes());
    } else {
      data.put("REDIS_URL", options.redisUrl());
    }
    // while Redis is unreachable each gateway replica takes 1/n of Airtable's limits: n = the most the autoscaler runs
    data.put("RATE_LIMIT_REPLICAS", Integer.toString(options.maxReplicas()));
    for (MonitoredService s : services.services()) {
      data.put(urlVariable(s.name()), "http://" + s.name() + ":" + s.containerPort());
    }
    return new ConfigMapBuilder().withMetadata(meta(options.configMapName(), null)).withData(data).build();
  }

  /** The variable holding a service's URL in the ConfigMap: {@code airtable-gateway} → {@code AIRTABLE_GATEWAY_URL}. */
  public static String urlVariable(String service) {
    return service.toUpperCase(Locale.ROOT).replace('-', '_') + "_URL";
  }

  /** Whether the project image can run {@code s} ({@code serve SERVICE}): one of the four built-in services. */
  static boolean servedByTheCli(MonitoredService s) {
    return s.image() == null
        && ServiceCatalog.all().stream().anyMatch(c -> c.serviceName().equals(s.name()));
  }

  private Deployment deployment(MonitoredService s) {
    Map<String, String> selector = Map.of(NAME_LABEL, s.name());
    return new DeploymentBuilder()
        .withMetadata(meta(s.name(), s.name()))
        .withNewSpec()
          .withNewSelector().withMatchLabels(selector).endSelector()
          .withNewStrategy().withType("RollingUpdate")
            .withNewRollingUpdate().withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1))
            .endRollingUpdate()
          .endStrategy()
          .withNewTemplate()
            .withNewMetadata().withLabels(labels(s.name())).endMetadata()
            .withNewSpec()
              .withTerminationGracePeriodSeconds(options.terminationGracePeriodSeconds())
              .withNewSecurityContext().withRunAsNonRoot(true).withNewSeccompProfile().withType("RuntimeDefault")
                .endSeccompProfile().endSecurityContext()
              .withContainers(container(s))
              .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  private Container container(MonitoredService s) {
    ContainerBuilder c = new ContainerBuilder()
        .withName(s.name())
        .withImage(s.image() != null ? s.image() : options.image(s.name()))
        .withImagePullPolicy("IfNotPresent");
    if (servedByTheCli(s)) {
      c.withArgs("serve", s.name());
    }
    return c
        .addNewPort().withName(PORT_NAME).withContainerPort(s.containerPort()).withProtocol("TCP").endPort()
        .withEnv(env(s))
        .addNewEnvFrom().withNewConfigMapRef().withName(options.configMapName()).endConfigMapRef().endEnvFrom()
        .withNewResources()
          .addToRequests("cpu", new Quantity(options.cpuRequest()))
          .addToRequests("memory", new Quantity(options.memoryRequest()))
          .addToLimits("memory", new Quantity(options.memoryLimit()))
        .endResources()
        .withStartupProbe(probe(s.healthPath(), 2, 60))
        .withLivenessProbe(probe(s.healthPath(), 10, 3))
        .withReadinessProbe(probe(s.readinessPath(), 5, 2))
        .withNewLifecycle().withNewPreStop().withNewSleep().withSeconds(options.preStopDelay().toSeconds())
          .endSleep().endPreStop().endLifecycle()
        .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
          .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .build();
  }

  private List<EnvVar> env(MonitoredService s) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName("SERVICE_NAME").withValue(s.name()).build());
    env.add(new EnvVarBuilder().withName("PORT").withValue(Integer.toString(s.containerPort())).build());
    env.add(new EnvVarBuilder().withName("HOST").withValue("0.0.0.0").build());
    env.add(new EnvVarBuilder().withName("JAVA_TOOL_OPTIONS").withValue("-XX:MaxRAMPercentage=75").build());
    for (String secret : s.secrets()) {
      env.add(new EnvVarBuilder().withName(secret).withNewValueFrom().withNewSecretKeyRef()
          .withName(options.secretName()).withKey(secret).withOptional(true).endSecretKeyRef().endValueFrom().build());
    }
    return env;
  }

  private static Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString(PORT_NAME)).endHttpGet()
        .withPeriodSeconds(periodSeconds).withTimeoutSeconds(2).withFailureThreshold(failureThreshold).build();
  }

  private Service service(MonitoredService s) {
    return new ServiceBuilder()
        .withMetadata(meta(s.name(), s.name()))
        .withNewSpec()
          .withType("ClusterIP")
          .withSelector(Map.of(NAME_LABEL, s.name()))
          .addNewPort().withName(PORT_NAME).withPort(s.containerPort()).withTargetPort(new IntOrString(PORT_NAME))
            .withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }

  private PodDisruptionBudget disruptionBudget(MonitoredService s) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(meta(s.name(), s.name()))
        .withNewSpec()
          .withMaxUnavailable(new IntOrString(1))
          .withNewSelector().withMatchLabels(Map.of(NAME_LABEL, s.name())).endSelector()
        .endSpec()
        .build();
  }

  private HorizontalPodAutoscaler autoscaler(MonitoredService s) {
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(meta(s.name(), s.name()))
        .withNewSpec()
          .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(s.name())
          .endScaleTargetRef()
          .withMinReplicas(options.minReplicas())
          .withMaxReplicas(options.maxReplicas())
          .addNewMetric().withType("Resource")
            .withNewResource().withName("cpu")
              .withNewTarget().withType("Utilization").withAverageUtilization(options.cpuUtilization()).endTarget()
            .endResource()
          .endMetric()
        .endSpec()
        .build();
  }

  private ObjectMeta meta(String name, String service) {
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace)
        .withLabels(service == null ? Map.of("app.kubernetes.io/part-of", "pyairtable") : labels(service)).build();
  }

  private static Map<String, String> labels(String service) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME_LABEL, service);
    labels.put("app.kubernetes.io/part-of", "pyairtable");
    return labels;
  }
}

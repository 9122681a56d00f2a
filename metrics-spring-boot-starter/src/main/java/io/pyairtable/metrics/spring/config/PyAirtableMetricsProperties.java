package io.pyairtable.metrics.spring.config;

import io.pyairtable.metrics.catalog.MetricGroup;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code pyairtable.metrics.*} properties. A property left unset falls back to the project's
 * environment variable ({@code SERVICE_NAME}, {@code METRICS_ENABLED}, {@code METRICS_SERIES_BUDGET},
 * ...), then to the default. An invalid value fails start-up naming the property.
 *
 * <pre>{@code
 * pyairtable:
 *   metrics:
 *     service-name: user-service      # default: spring.application.name
 *     series-budget: 2000
 *     roles: [airtable-gateway]
 *     endpoint:
 *       enabled: true                 # also serve /metrics (with its token)
 * }</pre>
 */
@Validated
@ConfigurationProperties("pyairtable.metrics")
public class PyAirtableMetricsProperties {

  /** False makes every record call a no-op (default: METRICS_ENABLED, else true). */
  private Boolean enabled;

  /** The service label (default: SERVICE_NAME, else spring.application.name). */
  @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}",
      message = "must be 1 to 64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit")
  private String serviceName;

  /** The version on service_info (default: SERVICE_VERSION, else the build info's version, else unknown). */
  @Pattern(regexp = "\\S.{0,127}", message = "must be a non-blank version of at most 128 characters")
  private String version;

  /** Series budget of every labelled family (default: METRICS_SERIES_BUDGET, else 1000). */
  @Min(1)
  private Integer seriesBudget;

  /** Longest label value kept (default: METRICS_LABEL_MAX_LENGTH, else 128). */
  @Min(1)
  private Integer labelMaxLength;

  /** Adds version to every series (default: METRICS_VERSION_LABEL, else false). */
  private Boolean versionLabel;

  /**
   * client_java's JVM metrics in the collector (default false: in a Boot application Micrometer
   * owns the JVM metrics, and a family must not be exposed twice).
   */
  private boolean jvmMetrics;

  /** Service roles whose families are exposed from the start (airtable-gateway, mcp-server, ...). */
  private List<MetricGroup> roles = new ArrayList<>();

  private final Http http = new Http();

  private final Endpoint endpoint = new Endpoint();

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getServiceName() {
    return serviceName;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public Integer getSeriesBudget() {
    return seriesBudget;
  }

  public void setSeriesBudget(Integer seriesBudget) {
    this.seriesBudget = seriesBudget;
  }

  public Integer getLabelMaxLength() {
    return labelMaxLength;
  }

  public void setLabelMaxLength(Integer labelMaxLength) {
    this.labelMaxLength = labelMaxLength;
  }

  public Boolean getVersionLabel() {
    return versionLabel;
  }

  public void setVersionLabel(Boolean versionLabel) {
    this.versionLabel = versionLabel;
  }

  public boolean isJvmMetrics() {
    return jvmMetrics;
  }

  public void setJvmMetrics(boolean jvmMetrics) {
    this.jvmMetrics = jvmMetrics;
  }

  public List<MetricGroup> getRoles() {
    return roles;
  }

  public void setRoles(List<MetricGroup> roles) {
    this.roles = roles;
  }

  public Http getHttp() {
    return http;
  }

  public Endpoint getEndpoint() {
    return endpoint;
  }

  /** The request chain as a servlet filter. */
  public static class Http {

    /** Registers the filter (default true). */
    private boolean enabled = true;

    /** The correlation header read and echoed. */
    @Pattern(regexp = "[A-Za-z0-9-]{1,64}", message = "must be an HTTP header name")
    private String correlationHeader = "X-Request-ID";

    /** Paths left out of metrics and the access log, each with its sub-paths. */
    private List<@Pattern(regexp = "/.*", message = "must start with /") String> excludedPaths =
        new ArrayList<>(List.of("/metrics", "/health", "/actuator"));

    /** One access-log line per request (logger io.pyairtable.metrics.http.access). */
    private boolean accessLog = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getCorrelationHeader() {
      return correlationHeader;
    }

    public void setCorrelationHeader(String correlationHeader) {
      this.correlationHeader = correlationHeader;
    }

    public List<String> getExcludedPaths() {
      return excludedPaths;
    }

    public void setExcludedPaths(List<String> excludedPaths) {
      this.excludedPaths = excludedPaths;
    }

    public boolean isAccessLog() {
      return accessLog;
    }

    public void setAccessLog(boolean accessLog) {
      this.accessLog = accessLog;
    }
  }

  /** The project's own metrics endpoint beside Actuator's. */
  public static class Endpoint {

    /** Serves the collector's registry at {@link #path} too (default false: Actuator's endpoint serves it). */
    private boolean enabled;

    /** The path (default: METRICS_ENDPOINT, else /metrics). */
    @Pattern(regexp = "/[A-Za-z0-9._~/-]*", message = "must be an absolute path such as /metrics")
    private String path;

    /** A bearer token the endpoint requires (default: METRICS_TOKEN when set, else none). */
    private String token;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public String getToken() {
      return token;
    }

    public void setToken(String token) {
      this.token = token;
    }
  }
}

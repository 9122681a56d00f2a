package io.pyairtable.metrics.examples.airtable;

import io.pyairtable.metrics.MetricsCollector;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Speaks Airtable's REST protocol ({@code /v0/{baseId}/{tableIdOrName}[/{recordId}]}, bearer
 * token, JSON bodies) to one upstream: the real {@code https://api.airtable.com} or the loopback
 * emulator. Every call lands in {@code airtable_api_requests_total} and
 * {@code airtable_api_duration_seconds}, labelled with its base and table only once Airtable
 * answered a call to them with a 2xx ({@link AirtableLabels}), else {@code unknown}. It does no rate limiting of its own:
 * {@link AirtableRequestQueue} decides when a call may go, and the rate limiter is told about
 * upstream 429s by {@link AirtableRecords}.
 *
 * <pre>{@code
 * AirtableClient client = new AirtableClient(httpClient, URI.create("https://api.airtable.com"), token, metrics);
 * AirtableResponse page = client.send(AirtableCall.list("appAbCdEfGhIjKlMn", "Tasks", "pageSize=10"));
 * }</pre>
 */
public final class AirtableClient {

  private final HttpClient http;
  private final URI apiBase;
  private final String token;
  private final MetricsCollector metrics;
  private final Duration timeout;
  private final AirtableLabels labels;

  public AirtableClient(HttpClient http, URI apiBase, String token, MetricsCollector metrics) {
    this(http, apiBase, token, metrics, Duration.ofSeconds(10), new AirtableLabels());
  }

  /**
   * @param labels where Airtable's 2xx answers confirm base ids and table names as label values;
   *     calls to anything unconfirmed are recorded with {@code base_id}/{@code table_name} {@code unknown}
   */
  public AirtableClient(HttpClient http, URI apiBase, String token, MetricsCollector metrics, Duration timeout,
      AirtableLabels labels) {
    this.labels = Objects.requireNonNull(labels, "labels");
    this.http = Objects.requireNonNull(http, "http");
    String base = apiBase.toString();
    this.apiBase = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    this.token = Objects.requireNonNull(token, "token");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.timeout = timeout;
  }

  /** The URI a call is sent to. */
  public URI uriOf(AirtableCall call) {
    StringBuilder path = new StringBuilder(apiBase.toString()).append("/v0/").append(call.baseId()).append('/')
        .append(URLEncoder.encode(call.table(), StandardCharsets.UTF_8).replace("+", "%20"));
    if (call.recordId() != null) {
      path.append('/').append(call.recordId());
    }
    if (!call.query().isEmpty()) {
      path.append('?').append(call.query());
    }
    return URI.create(path.toString());
  }

  /**
   * Sends one call and returns Airtable's answer (2xx, 4xx); throws {@link AirtableUpstreamException}
   * on a 5xx or when there is no answer.
   */
  public AirtableResponse send(AirtableCall call) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uriOf(call)).timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json");
    if (call.body() != null) {
      request.header("Content-Type", "application/json")
          .method(call.method(), HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8));
    } else {
      request.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    long start = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      record(call, 0, start);
      throw new AirtableUpstreamException(0, "no answer from Airtable for " + call.operation() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      record(call, 0, start);
      throw new AirtableUpstreamException(0, "interrupted while calling Airtable", e);
    }
    int status = response.statusCode();
    record(call, status, start);
    if (status >= 500) {
      throw new AirtableUpstreamException(status, "Airtable answered " + status + " to " + call.operation(), null);
    }
    return new AirtableResponse(status, response.body(), false);
  }

  private void record(AirtableCall call, int status, long startNanos) {
    if (status >= 200 && status < 300) {
      labels.confirm(call.baseId(), call.table());
    }
    metrics.recordAirtableRequest(labels.base(call.baseId()), labels.table(call.baseId(), call.table()),
        call.operation(), status,
        (System.nanoTime() - startNanos) / 1e9);
  }
}

package io.pyairtable.metrics.benchmarks.scrape;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code GET /metrics} exchange held in memory, so a scrape benchmark measures the exposition and
 * not a socket: the request carries the {@code Accept} and {@code Accept-Encoding} headers of the
 * format asked for, the body goes to a buffer that is reused from one scrape to the next.
 *
 * <pre>{@code
 * MemoryExchange exchange = new MemoryExchange(ScrapeFormat.GZIP_TEXT);
 * new PrometheusScrapeHandler(registry).handleRequest(exchange.reset());
 * int bytes = exchange.bodySize();
 * }</pre>
 */
public final class MemoryExchange implements PrometheusHttpExchange {

  private final Map<String, String> requestHeaders = new HashMap<>();
  private final Map<String, String> responseHeaders = new HashMap<>();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 20);
  private int status;

  public MemoryExchange(ScrapeFormat format) {
    requestHeaders.put("accept", format.accept());
    if (format.gzip()) {
      requestHeaders.put("accept-encoding", "gzip");
    }
  }

  /** Clears the previous answer; returns this exchange for the next scrape. */
  public MemoryExchange reset() {
    body.reset();
    responseHeaders.clear();
    status = 0;
    return this;
  }

  /** The status code of the last answer (0 before any). */
  public int status() {
    return status;
  }

  /** A response header of the last answer, null when absent. */
  public String responseHeader(String name) {
    return responseHeaders.get(name.toLowerCase(Locale.ROOT));
  }

  /** Bytes written as the last answer's body (compressed when gzip was asked for). */
  public int bodySize() {
    return body.size();
  }

  /** The last answer's body as written. */
  public byte[] body() {
    return body.toByteArray();
  }

  @Override
  public PrometheusHttpRequest getRequest() {
    return request;
  }

  @Override
  public PrometheusHttpResponse getResponse() {
    return response;
  }

  @Override
  public void handleException(IOException e) throws IOException {
    throw e;
  }

  @Override
  public void handleException(RuntimeException e) {
    throw e;
  }

  @Override
  public void close() {}

  private final PrometheusHttpRequest request = new PrometheusHttpRequest() {
    @Override
    public String getQueryString() {
      return null;
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      String value = requestHeaders.get(name.toLowerCase(Locale.ROOT));
      return value == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(value));
    }

    @Override
    public String getMethod() {
      return "GET";
    }

    @Override
    public String getRequestPath() {
      return "/metrics";
    }
  };

  private final PrometheusHttpResponse response = new PrometheusHttpResponse() {
    @Override
    public void setHeader(String name, String value) {
      responseHeaders.put(name.toLowerCase(Locale.ROOT), value);
    }

    @Override
    public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
      status = statusCode;
      return body;
    }
  };

}

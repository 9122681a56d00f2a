package io.pyairtable.metrics.http.jetty;

import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Paths {@link ChainHandler} answers itself, ahead of the application's router: the metrics
 * endpoint and a service's own small endpoints (health, summary). A router that tries its routes'
 * patterns in turn (Javalin matches a regex per route until one fits) makes every request pay for
 * each route ahead of its own; a path served here costs the other requests one hash lookup, and no
 * route of the application can shadow it. Paths are exact, within the server's context, with or
 * without one trailing slash.
 *
 * <pre>{@code
 * ServedPaths paths = ServedPaths.builder()
 *     .scrape("/metrics", metricsEndpoint)
 *     .answer("/health", ServedPaths.readOnly(() -> ServedPaths.Answer.of(200, "application/json", body)))
 *     .build();
 * server.insertHandler(new ChainHandler(chain, paths));
 * }</pre>
 */
public final class ServedPaths {

  /** A small endpoint answered in one go: its answer to a request's method and {@code Authorization} header. */
  @FunctionalInterface
  public interface Endpoint {
    Answer answer(String method, String authorization);
  }

  /** A status, a content type (null: none), a body (null or empty: none) and extra headers. */
  public record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {

    public Answer {
      headers = Map.copyOf(headers);
    }

    /** An answer without extra headers. */
    public static Answer of(int status, String contentType, byte[] body) {
      return new Answer(status, contentType, body, Map.of());
    }

    /** This answer with one more header. */
    public Answer withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Answer(status, contentType, body, h);
    }
  }

  private static final ServedPaths NONE = new ServedPaths(Map.of());

  /** Path (within the context) → a {@link MetricsEndpoint} or an {@link Endpoint}. */
  private final Map<String, Object> byPath;

  private ServedPaths(Map<String, Object> byPath) {
    this.byPath = byPath;
  }

  /** No path. */
  public static ServedPaths none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * An endpoint that only reads: GET and HEAD get {@code answer}'s answer (HEAD without its body),
   * OPTIONS 204 and any other method 405, both with {@code Allow: GET, HEAD}.
   */
  public static Endpoint readOnly(Supplier<Answer> answer) {
    Objects.requireNonNull(answer, "answer");
    return (method, authorization) -> switch (method) {
      case "GET", "HEAD" -> answer.get();
      case "OPTIONS" -> Answer.of(204, null, null).withHeader("Allow", "GET, HEAD");
      default -> Answer.of(405, null, null).withHeader("Allow", "GET, HEAD");
    };
  }

  /** Whether {@code path} (within the context; a trailing slash ignored) is served. */
  public boolean serves(String path) {
    return find(path) != null;
  }

  /** True when no path is served. */
  public boolean isEmpty() {
    return byPath.isEmpty();
  }

  /** These paths as requested under {@code contextPath} ("" for none): what {@link ChainHandler} looks up per request. */
  ServedPaths under(String contextPath) {
    if (contextPath.isEmpty() || byPath.isEmpty()) {
      return this;
    }
    Map<String, Object> m = new HashMap<>();
    byPath.forEach((path, endpoint) -> m.put(contextPath + path, endpoint));
    return new ServedPaths(Map.copyOf(m));
  }

  /** The endpoint for {@code uri}, with or without one trailing slash; null for none. */
  Object find(String uri) {
    if (uri == null || byPath.isEmpty()) {
      return null;
    }
    Object endpoint = byPath.get(uri);
    if (endpoint == null && uri.length() > 1 && uri.charAt(uri.length() - 1) == '/') {
      endpoint = byPath.get(uri.substring(0, uri.length() - 1));
    }
    return endpoint;
  }

  /**
   * Answers the request with {@code endpoint} on this thread (a scrape's body is written through a
   * blocking stream) and completes {@code callback}: succeeded, or failed with the I/O failure of a
   * client that went away.
   */
  static void serve(Object endpoint, Request request, Response response, Callback callback) {
    String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    try {
      if (endpoint instanceof MetricsEndpoint scrape) {
        try (ScrapeExchange exchange = new ScrapeExchange(request, response)) {
          scrape.handle(exchange, authorization);
        }
      } else {
        Answer answer = ((Endpoint) endpoint).answer(request.getMethod(), authorization);
        response.setStatus(answer.status());
        if (answer.contentType() != null) {
          response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        }
        answer.headers().forEach(response.getHeaders()::put);
        byte[] body = answer.body();
        if (body != null && body.length > 0) {
          if ("HEAD".equals(request.getMethod())) { // the length a GET would send, no body
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
          } else {
            Content.Sink.write(response, true, ByteBuffer.wrap(body));
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      callback.failed(e instanceof UncheckedIOException u ? u.getCause() : e);
      return;
    }
    callback.succeeded();
  }

  /** Builds {@link ServedPaths}. */
  public static final class Builder {
    private final Map<String, Object> byPath = new LinkedHashMap<>();

    private Builder() {}

    /** Serves {@code endpoint} (client_java's scrape behind the endpoint's credentials) at {@code path}. */
    public Builder scrape(String path, MetricsEndpoint endpoint) {
      return add(path, Objects.requireNonNull(endpoint, "endpoint"));
    }

    /** Answers {@code path} with {@code endpoint}. */
    public Builder answer(String path, Endpoint endpoint) {
      return add(path, Objects.requireNonNull(endpoint, "endpoint"));
    }

    private Builder add(String path, Object endpoint) {
      String p = normalize(path);
      if (byPath.putIfAbsent(p, endpoint) != null) {
        throw new IllegalArgumentException("the path " + p + " is served twice");
      }
      return this;
    }

    private static String normalize(String path) {
      if (path == null || !path.startsWith("/") || path.length() > 1 && path.endsWith("/")) {
        throw new IllegalArgumentException("a served path starts with / and has no trailing slash, was " + path);
      }
      return path;
    }

    public ServedPaths build() {
      return byPath.isEmpty() ? NONE : new ServedPaths(Map.copyOf(byPath));
    }
  }
}

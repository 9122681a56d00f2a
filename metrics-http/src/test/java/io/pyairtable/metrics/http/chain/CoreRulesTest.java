package io.pyairtable.metrics.http.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The framework-neutral rules of the chain. */
class CoreRulesTest {

  private final PathNormalizer normalizer = PathNormalizer.defaults();

  @Test
  void normalizerReplacesWholeSegmentsOnly() {
    assertThat(normalizer.normalize("/items/123")).isEqualTo("/items/{id}");
    assertThat(normalizer.normalize("/v2/items")).isEqualTo("/v2/items");
    assertThat(normalizer.normalize("/items/123abc")).isEqualTo("/items/123abc");
    assertThat(normalizer.normalize("/u/3f2504e0-4f89-41d3-9a0c-0305e82c3301/x"))
        .isEqualTo("/u/{uuid}/x");
    assertThat(normalizer.normalize("/blobs/0123456789abcdef0123")).isEqualTo("/blobs/{hex}");
    assertThat(normalizer.normalize("/words/deadbeefdeadbeef")).isEqualTo("/words/deadbeefdeadbeef");
    assertThat(normalizer.normalize("/bases/appAbCdEfGh123456/tables/tblAbCdEfGh123456/records/recAbCdEfGh123456"))
        .isEqualTo("/bases/{baseId}/tables/{tableId}/records/{recordId}");
    assertThat(normalizer.normalize("/bases/appAbCdEfGh12345")).isEqualTo("/bases/appAbCdEfGh12345");
    assertThat(normalizer.normalize("/bases/apple")).isEqualTo("/bases/apple");
    assertThat(normalizer.normalize("/items/42?token=secret")).isEqualTo("/items/{id}");
    assertThat(normalizer.normalize("/")).isEqualTo("/");
    assertThat(normalizer.normalize("/items/7/")).isEqualTo("/items/{id}/");
  }

  @Test
  void normalizerTakesCustomRulesAndCapsSegments() {
    PathNormalizer custom = PathNormalizer.builder().withDefaults()
        .rule(Pattern.compile("[a-z]{2}-[A-Z]{2}"), "{locale}").maxSegments(3).build();
    assertThat(custom.normalize("/docs/en-US/intro")).isEqualTo("/docs/{locale}/intro");
    assertThat(custom.normalize("/a/b/c/d/e")).isEqualTo("/a/b/c/{rest}");
  }

  @Test
  void correlationIdKeepsOnlyShortSafeValues() {
    assertThat(CorrelationIds.accept("abc-123_x.y")).isEqualTo("abc-123_x.y");
    String max = "a".repeat(128);
    assertThat(CorrelationIds.accept(max)).isEqualTo(max);
    assertThat(CorrelationIds.accept("a".repeat(129))).hasSize(36).isNotEqualTo("a".repeat(129));
    assertThat(CorrelationIds.accept("abc\r\nSet-Cookie: x=1")).hasSize(36).doesNotContain("\r", "Set-Cookie");
    assertThat(CorrelationIds.accept("x".repeat(10 * 1024))).hasSize(36);
    assertThat(CorrelationIds.accept("")).hasSize(36);
    assertThat(CorrelationIds.accept(null)).hasSize(36);
    String id = CorrelationIds.generate();
    assertThat(UUID.fromString(id).version()).isEqualTo(4);
    assertThat(UUID.fromString(id).variant()).isEqualTo(2);
    assertThat(CorrelationIds.generate()).isNotEqualTo(id);
  }

  @Test
  void theCorrelationHeaderMustBeAHeaderName() {
    assertThat(MiddlewareOptions.builder().correlationHeader("X-Correlation-ID").build().correlationHeader())
        .isEqualTo("X-Correlation-ID");
    assertThat(MiddlewareOptions.builder().correlationHeader("x_trace.id~1").build().correlationHeader())
        .isEqualTo("x_trace.id~1");
    assertThatThrownBy(() -> MiddlewareOptions.builder().correlationHeader("X-Id\r\nSet-Cookie: a=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("correlation header must be a header name (RFC 9110 token characters), not "
            + "\"X-Id\\r\\nSet-Cookie: a=1\"");
    assertThatThrownBy(() -> MiddlewareOptions.builder().correlationHeader("X Request Id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("correlation header must be a header name (RFC 9110 token characters), not \"X Request Id\"");
    assertThatThrownBy(() -> MiddlewareOptions.builder().correlationHeader(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("correlation header must not be blank");
  }

  @Test
  void errorMappingsUseTheNearestMappedSuperclass() {
    ErrorMappings m = ErrorMappings.defaults();
    assertThat(m.statusFor(new IllegalArgumentException())).isEqualTo(400);
    assertThat(m.statusFor(new NumberFormatException())).isEqualTo(400);
    assertThat(m.statusFor(new SecurityException())).isEqualTo(403);
    assertThat(m.statusFor(new NoSuchElementException())).isEqualTo(404);
    assertThat(m.statusFor(HttpStatusException.tooManyRequests("slow down"))).isEqualTo(429);
    assertThat(m.statusFor(HttpStatusException.unprocessable("bad field"))).isEqualTo(422);
    assertThat(m.statusFor(new IllegalStateException())).isEqualTo(500);
    class QuotaException extends RuntimeException {
      private static final long serialVersionUID = 1L;
    }
    ErrorMappings extended = m.toBuilder().map(QuotaException.class, 429)
        .map(IllegalStateException.class, e -> e.getMessage() != null && e.getMessage().contains("down") ? 503 : 409)
        .build();
    assertThat(extended.statusFor(new QuotaException())).isEqualTo(429);
    assertThat(extended.statusFor(new IllegalStateException("db down"))).isEqualTo(503);
    assertThat(extended.statusFor(new IllegalStateException("stale"))).isEqualTo(409);
    assertThat(extended.statusFor(new RuntimeException())).isEqualTo(500);
  }

  @Test
  void errorBodyShowsClientMessagesButNeverServerInternals() {
    assertThat(ErrorResponse.of(404, "no \"item\" 7", "c1").json())
        .isEqualTo("{\"error\":{\"type\":\"not_found\",\"message\":\"no \\\"item\\\" 7\",\"correlation_id\":\"c1\"}}");
    assertThat(ErrorResponse.of(500, "password=hunter2", null).json())
        .isEqualTo("{\"error\":{\"type\":\"internal_error\",\"message\":\"Internal server error\",\"correlation_id\":null}}");
    assertThat(ErrorResponse.of(503, "redis at 10.0.0.3 down", "c2").json()).doesNotContain("10.0.0.3")
        .contains("\"type\":\"service_unavailable\"");
  }

  @Test
  void excludedPathsCoverSubPathsOnSegmentBoundaries() {
    ExcludedPaths excluded = new ExcludedPaths(MiddlewareOptions.DEFAULT_EXCLUDED_PATHS);
    assertThat(excluded.matches("/metrics")).isTrue();
    assertThat(excluded.matches("/health/ready")).isTrue();
    assertThat(excluded.matches("/healthz")).isFalse();
    assertThat(excluded.matches("/metricsfoo")).isFalse();
    assertThat(excluded.matches("/api/health")).isFalse();
    assertThat(new ExcludedPaths(List.of("internal/")).matches("/internal/x")).isTrue();
  }

  @Test
  void routeTemplatesMatchSegmentBySegment() {
    RouteTemplates routes = new RouteTemplates(List.of("/items/{id}", "/users/:user/posts", "/files/*"));
    assertThat(routes.match("/items/123")).isEqualTo("/items/{id}");
    assertThat(routes.match("/items/123/x")).isNull();
    assertThat(routes.match("/users/ann/posts")).isEqualTo("/users/:user/posts");
    assertThat(routes.match("/files/a/b/c")).isEqualTo("/files/*");
    assertThat(routes.match("/other")).isNull();
  }

  @Test
  void endpointLabelFallsBackInOrder() {
    RequestChain plain = new RequestChain(MiddlewareOptions.builder().build());
    assertThat(plain.endpoint("/items/{id}", true, "/items/1", 200)).isEqualTo("/items/{id}");
    assertThat(plain.endpoint(null, true, "/items/1", 200)).isEqualTo(EndpointLabels.UNMATCHED);
    assertThat(plain.endpoint(null, false, "/items/1", 200)).isEqualTo("/items/{id}");
    assertThat(plain.endpoint(null, false, "/random/path", 404)).isEqualTo(EndpointLabels.UNMATCHED);
    RequestChain templated = new RequestChain(MiddlewareOptions.builder().routeTemplates("/items/{id}").build());
    assertThat(templated.endpoint(null, false, "/items/9", 200)).isEqualTo("/items/{id}");
    assertThat(templated.endpoint(null, false, "/elsewhere", 200)).isEqualTo(EndpointLabels.UNMATCHED);
  }

  @Test
  void methodsOutsideTheStandardSetFold() {
    assertThat(EndpointLabels.method("GET")).isEqualTo("GET");
    assertThat(EndpointLabels.method("patch")).isEqualTo("PATCH");
    assertThat(EndpointLabels.method("TRACE")).isEqualTo("TRACE");
    assertThat(EndpointLabels.method("BREW")).isEqualTo("OTHER");
    assertThat(EndpointLabels.method("PROPFIND")).isEqualTo("OTHER");
    assertThat(EndpointLabels.method(null)).isEqualTo("OTHER");
  }

  @Test
  void metricsAuthComparesWholeCredentials() {
    MetricsAuth bearer = MetricsAuth.bearer("tok");
    assertThat(bearer.permits("Bearer tok")).isTrue();
    assertThat(bearer.permits("Bearer tok2")).isFalse();
    assertThat(bearer.permits("Bearer to")).isFalse();
    assertThat(bearer.permits(null)).isFalse();
    assertThat(MetricsAuth.none().permits(null)).isTrue();
    assertThat(MetricsAuth.basic("u", "p").permits("Basic dTpw")).isTrue();
  }
}

package io.pyairtable.metrics.http.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The paths the chain's handler answers: how they are looked up, and what a path may be. */
class ServedPathsTest {

  private static final ServedPaths.Endpoint OK = ServedPaths.readOnly(
      () -> ServedPaths.Answer.of(200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8)));

  @Test
  void aPathIsFoundUnderTheContextExactlyAndWithOneTrailingSlash() {
    ServedPaths served = ServedPaths.builder().answer("/health", OK).build().under("/api");
    assertThat(served.find("/api/health")).isSameAs(OK);
    assertThat(served.find("/api/health/")).isSameAs(OK);
    assertThat(served.find("/health")).isNull();
    assertThat(served.find("/api/health//")).isNull();
    assertThat(served.find("/api/health/live")).isNull();
    assertThat(served.find("/api/Health")).isNull();
    assertThat(served.find(null)).isNull();
  }

  @Test
  void aReadOnlyEndpointAnswersGetAndHeadAndTellsOtherMethodsWhatItAllows() {
    assertThat(OK.answer("GET", null).status()).isEqualTo(200);
    assertThat(OK.answer("HEAD", null).status()).isEqualTo(200);
    assertThat(OK.answer("OPTIONS", null)).isEqualTo(new ServedPaths.Answer(204, null, null, Map.of("Allow", "GET, HEAD")));
    assertThat(OK.answer("DELETE", null)).isEqualTo(new ServedPaths.Answer(405, null, null, Map.of("Allow", "GET, HEAD")));
  }

  @Test
  void aPathServedTwiceOrNotAbsoluteOrWithATrailingSlashIsRejectedWithThePath() {
    ServedPaths.Builder b = ServedPaths.builder().answer("/health", OK);
    assertThatThrownBy(() -> b.answer("/health", OK)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the path /health is served twice");
    assertThatThrownBy(() -> ServedPaths.builder().answer("health", OK)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a served path starts with / and has no trailing slash, was health");
    assertThatThrownBy(() -> ServedPaths.builder().answer("/health/", OK)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a served path starts with / and has no trailing slash, was /health/");
    assertThat(ServedPaths.builder().build().isEmpty()).isTrue();
  }
}

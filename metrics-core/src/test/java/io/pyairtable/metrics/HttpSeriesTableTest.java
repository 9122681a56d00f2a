package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.internal.LabelSanitizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The HTTP series table: one binding per combination, found again as the same series, within the budget. */
class HttpSeriesTableTest {

  private final List<String> bound = new ArrayList<>();
  private final AtomicInteger overflows = new AtomicInteger();

  private HttpSeriesTable table(int budget) {
    return new HttpSeriesTable(budget, new LabelSanitizer(128), (m, e, s, code) -> {
      bound.add(m + " " + e + " " + s);
      return new ClientJavaHttpSeries(null, null, null, s, code);
    }, overflows::incrementAndGet);
  }

  @Test
  void everyCombinationIsBoundOnceAndFoundAgainAsTheSameSeriesAcrossTableGrowth() {
    HttpSeriesTable t = table(10_000);
    List<HttpSeries> first = new ArrayList<>();
    for (int e = 0; e < 300; e++) {
      for (int code = 100; code < 600; code += 50) {
        first.add(t.get("GET", "/e/" + e, code));
      }
    }

    int i = 0;
    for (int e = 0; e < 300; e++) {
      for (int code = 100; code < 600; code += 50) {
        assertThat(t.get("GET", new String("/e/" + e), code)).isSameAs(first.get(i++));
      }
    }
    assertThat(t.size()).isEqualTo(3_000);
    assertThat(bound).hasSize(3_000).doesNotHaveDuplicates().contains("GET /e/299 550", "GET /e/0 100");
    assertThat(overflows.get()).isZero();
  }

  @Test
  void theSameStringsAndEqualCopiesOfThemFindTheSameSeriesAndCutValuesFindTheirCutKey() {
    HttpSeriesTable t = new HttpSeriesTable(100, new LabelSanitizer(4), (m, e, s, code) -> {
      bound.add(m + " " + e + " " + s);
      return new ClientJavaHttpSeries(null, null, null, s, code);
    }, overflows::incrementAndGet);
    String endpoint = "/ab";
    String longEndpoint = "/abcdef";

    HttpSeries s = t.get("GET", endpoint, 200);
    HttpSeries cut = t.get("GET", longEndpoint, 200);

    assertThat(t.get("GET", endpoint, 200)).isSameAs(s);
    assertThat(t.get(new String("GET"), new String(endpoint), 200)).isSameAs(s);
    assertThat(t.get("GET", longEndpoint, 200)).isSameAs(cut);
    assertThat(t.get("GET", "/abcxyz", 200)).isSameAs(cut);
    assertThat(t.get(null, endpoint, 200)).isNotSameAs(s).isSameAs(t.get(null, endpoint, 200));
    assertThat(bound).containsExactly("GET /ab 200", "GET /abc 200", "unknown /ab 200");
  }

  @Test
  void pastTheBudgetNewCombinationsGetTheOneOverflowSeriesAndAreCountedEachTime() {
    HttpSeriesTable t = table(2);
    HttpSeries ok = t.get("GET", "/a", 200);
    t.get("GET", "/a", 201);

    HttpSeries o1 = t.get("GET", "/a", 202);
    HttpSeries o2 = t.get("PUT", "/b", 200);

    assertThat(o1).isSameAs(o2).isSameAs(t.overflow());
    assertThat(o1.statusCode).isEqualTo(LabelSanitizer.OVERFLOW);
    assertThat(t.get("GET", "/a", 200)).isSameAs(ok);
    assertThat(overflows.get()).isEqualTo(2);
    assertThat(bound).containsExactly("GET /a 200", "GET /a 201", "_overflow _overflow _overflow");
  }

  @Test
  void anEndpointIsAddedOnlyWithItsFirstBoundCombination() {
    HttpSeriesTable t = table(1);
    t.get("GET", "/a", 200);

    t.get("GET", "/never", 200);

    assertThat(t.find("GET", "/a")).isNotNull();
    assertThat(t.find("GET", "/never")).isNull();
  }
}

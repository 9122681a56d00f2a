package io.pyairtable.metrics.integrations.jdbc;

import io.pyairtable.metrics.InfrastructureMetrics;
import io.pyairtable.metrics.MetricsCollector;
import java.util.Objects;

/**
 * Times database queries into {@code database_query_duration_seconds{query_type}}. The query type
 * is a fixed kind you choose ({@code select_session}, {@code insert_message}), never SQL text, so
 * the series count stays bounded. A query that throws is timed too, and its exception is rethrown
 * unchanged.
 *
 * <pre>{@code
 * QueryTimer queries = new QueryTimer(metrics);
 * Session s = queries.time("select_session", () -> sessionDao.find(id));
 *
 * try (QueryTimer.Sample sample = queries.start("insert_message")) {
 *   statement.executeUpdate();
 * }
 * }</pre>
 */
public final class QueryTimer {

  /** A query that returns a value and may throw any exception (JDBC's SQLException included). */
  @FunctionalInterface
  public interface Query<T, E extends Exception> {
    T run() throws E;
  }

  private final InfrastructureMetrics infrastructure;

  public QueryTimer(MetricsCollector collector) {
    this.infrastructure = Objects.requireNonNull(collector, "collector").infrastructure();
  }

  /** Runs {@code query} and records its duration under {@code queryType}. */
  public <T, E extends Exception> T time(String queryType, Query<T, E> query) throws E {
    long start = System.nanoTime();
    try {
      return query.run();
    } finally {
      infrastructure.recordDatabaseQuery(queryType, (System.nanoTime() - start) / 1e9);
    }
  }

  /** Starts timing a query; the duration is recorded when the sample is closed. */
  public Sample start(String queryType) {
    return new Sample(infrastructure, queryType);
  }

  /** A running query measurement for try-with-resources; closing it twice records once. */
  public static final class Sample implements AutoCloseable {
    private final InfrastructureMetrics infrastructure;
    private final String queryType;
    private final long start = System.nanoTime();
    private boolean closed;

    private Sample(InfrastructureMetrics infrastructure, String queryType) {
      this.infrastructure = infrastructure;
      this.queryType = queryType;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        infrastructure.recordDatabaseQuery(queryType, (System.nanoTime() - start) / 1e9);
      }
    }
  }
}

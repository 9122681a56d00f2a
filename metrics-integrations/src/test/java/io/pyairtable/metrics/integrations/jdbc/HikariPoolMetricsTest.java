package io.pyairtable.metrics.integrations.jdbc;

import static io.pyairtable.metrics.catalog.MetricCatalog.DATABASE_CONNECTIONS_ACTIVE;
import static io.pyairtable.metrics.catalog.MetricCatalog.DATABASE_CONNECTIONS_IDLE;
import static io.pyairtable.metrics.catalog.MetricCatalog.DATABASE_CONNECTIONS_MAX;
import static io.pyairtable.metrics.catalog.MetricCatalog.DATABASE_CONNECTIONS_PENDING;
import static io.pyairtable.metrics.catalog.MetricCatalog.DATABASE_CONNECTION_ACQUIRE_SECONDS;
import static io.pyairtable.metrics.catalog.MetricCatalog.DATABASE_CONNECTION_CREATION_SECONDS;
import static io.pyairtable.metrics.catalog.MetricCatalog.DATABASE_CONNECTION_TIMEOUTS_TOTAL;
import static io.pyairtable.metrics.catalog.MetricCatalog.DATABASE_CONNECTION_USAGE_SECONDS;
import static io.pyairtable.metrics.catalog.MetricCatalog.DATABASE_QUERY_DURATION_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.pyairtable.metrics.Metrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.testing.Conditions;
import io.pyairtable.metrics.integrations.testing.Exposition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HikariPoolMetricsTest {

  private final MetricsCollector metrics = Metrics.builder(Map.of()).serviceName("llm-orchestrator")
      .jvmMetrics(false).initialize();

  @Test
  void gaugesMatchThePoolsOwnCountersUnderConcurrentUse() throws Exception {
    try (HikariDataSource ds = dataSource("sessions", 4, 5_000);
        HikariPoolMetrics poolMetrics = HikariPoolMetrics.instrument(ds, metrics, Duration.ofMillis(100))) {
      QueryTimer queries = new QueryTimer(metrics);
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE sessions (id INT PRIMARY KEY, name VARCHAR(40))");
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        work.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
              int id = thread * 100 + i;
              queries.time("insert_session", () -> s.executeUpdate(
                  "INSERT INTO sessions VALUES (" + id + ", 's" + id + "')"));
              queries.time("select_session", () -> {
                try (ResultSet rs = s.executeQuery("SELECT name FROM sessions WHERE id = " + id)) {
                  return rs.next();
                }
              });
            }
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      HikariPoolMXBean mx = ds.getHikariPoolMXBean();
      awaitGaugesMatch("sessions", ds);
      Exposition e = Exposition.of(metrics);
      assertThat(e.value(DATABASE_QUERY_DURATION_SECONDS.count(), "query_type", "insert_session")).isEqualTo(200);
      assertThat(e.value(DATABASE_QUERY_DURATION_SECONDS.count(), "query_type", "select_session")).isEqualTo(200);
      assertThat(e.value(DATABASE_CONNECTION_ACQUIRE_SECONDS.count(), "pool", "sessions")).isEqualTo(201);
      assertThat(e.value(DATABASE_CONNECTION_USAGE_SECONDS.count(), "pool", "sessions")).isEqualTo(201);
      // Hikari opens its first connection (the fail-fast check) before it installs the tracker.
      assertThat(e.value(DATABASE_CONNECTION_CREATION_SECONDS.count(), "pool", "sessions"))
          .isEqualTo(mx.getTotalConnections() - 1);
      assertThat(e.value(DATABASE_CONNECTION_TIMEOUTS_TOTAL.name(), "pool", "sessions")).isEqualTo(0);
      assertThat(e.value(DATABASE_CONNECTIONS_ACTIVE.name(), "pool", "sessions")).isEqualTo(0);

      // Hold every connection and make two more threads wait: active 4, pending 2.
      List<Connection> held = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        held.add(ds.getConnection());
      }
      ExecutorService waiters = Executors.newFixedThreadPool(2);
      CountDownLatch release = new CountDownLatch(1);
      List<Future<?>> waiting = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        waiting.add(waiters.submit(() -> {
          try (Connection c = ds.getConnection()) {
            release.await();
          }
          return null;
        }));
      }
      Conditions.await(Duration.ofSeconds(5), "two threads waiting", () -> mx.getThreadsAwaitingConnection() == 2);
      awaitGaugesMatch("sessions", ds);
      assertThat(Exposition.of(metrics).value(DATABASE_CONNECTIONS_PENDING.name(), "pool", "sessions")).isEqualTo(2);
      assertThat(Exposition.of(metrics).value(DATABASE_CONNECTIONS_ACTIVE.name(), "pool", "sessions")).isEqualTo(4);

      held.remove(0).close();
      held.remove(0).close();
      Conditions.await(Duration.ofSeconds(5), "waiters served", () -> mx.getThreadsAwaitingConnection() == 0);
      awaitGaugesMatch("sessions", ds);
      release.countDown();
      for (Future<?> f : waiting) {
        f.get(5, TimeUnit.SECONDS);
      }
      waiters.shutdown();
      for (Connection c : held) {
        c.close();
      }
      awaitGaugesMatch("sessions", ds);
      assertThat(Exposition.of(metrics).value(DATABASE_CONNECTIONS_ACTIVE.name(), "pool", "sessions")).isEqualTo(0);
      assertThat(Exposition.of(metrics).value(DATABASE_CONNECTIONS_MAX.name(), "pool", "sessions")).isEqualTo(4);
    }
  }

  @Test
  void connectionTimeoutsAreCounted() throws Exception {
    HikariConfig config = config("tiny", 1, 250);
    config.setMetricsTrackerFactory(new HikariPoolMetrics(metrics));
    try (HikariDataSource ds = new HikariDataSource(config); Connection only = ds.getConnection()) {
      assertThatThrownBy(ds::getConnection).isInstanceOf(SQLTransientConnectionException.class);
      assertThatThrownBy(ds::getConnection).isInstanceOf(SQLTransientConnectionException.class);
      assertThat(Exposition.of(metrics).value(DATABASE_CONNECTION_TIMEOUTS_TOTAL.name(), "pool", "tiny"))
          .isEqualTo(2);
      assertThat(only.isValid(1)).isTrue();
    }
  }

  @Test
  void queryTimerRecordsFailedQueriesAndRethrowsTheirException() {
    QueryTimer queries = new QueryTimer(metrics);
    SQLException failure = new SQLException("syntax error");
    assertThatThrownBy(() -> queries.time("broken", () -> {
      throw failure;
    })).isSameAs(failure);
    try (QueryTimer.Sample sample = queries.start("sampled")) {
      sample.close();
    }
    Exposition e = Exposition.of(metrics);
    assertThat(e.value(DATABASE_QUERY_DURATION_SECONDS.count(), "query_type", "broken")).isEqualTo(1);
    assertThat(e.value(DATABASE_QUERY_DURATION_SECONDS.count(), "query_type", "sampled")).isEqualTo(1);
  }

  private void awaitGaugesMatch(String pool, HikariDataSource ds) {
    HikariPoolMXBean mx = ds.getHikariPoolMXBean();
    Conditions.await(Duration.ofSeconds(5), "gauges equal HikariPoolMXBean", () -> {
      Exposition e = Exposition.of(metrics);
      return e.value(DATABASE_CONNECTIONS_ACTIVE.name(), "pool", pool) == mx.getActiveConnections()
          && e.value(DATABASE_CONNECTIONS_IDLE.name(), "pool", pool) == mx.getIdleConnections()
          && e.value(DATABASE_CONNECTIONS_PENDING.name(), "pool", pool) == mx.getThreadsAwaitingConnection()
          && e.value(DATABASE_CONNECTIONS_MAX.name(), "pool", pool) == ds.getMaximumPoolSize();
    });
  }

  /** A lazily started data source (no-arg constructor), so every physical connection is seen by the metrics. */
  private static HikariDataSource dataSource(String pool, int max, long timeoutMillis) {
    HikariDataSource ds = new HikariDataSource();
    config(pool, max, timeoutMillis).copyStateTo(ds);
    return ds;
  }

  private static HikariConfig config(String pool, int max, long timeoutMillis) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    config.setPoolName(pool);
    config.setMaximumPoolSize(max);
    config.setConnectionTimeout(timeoutMillis);
    return config;
  }
}

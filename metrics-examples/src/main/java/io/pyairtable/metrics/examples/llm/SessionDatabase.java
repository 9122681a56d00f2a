package io.pyairtable.metrics.examples.llm;

import com.zaxxer.hikari.HikariDataSource;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.jdbc.HikariPoolMetrics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The LLM orchestrator's session database: a HikariCP pool named {@value LlmOrchestratorService#POOL}
 * on {@link LlmConfig#jdbcUrl()} (an embedded in-memory H2 database of its own when none is set)
 * with the pool gauges of {@link HikariPoolMetrics}. Closing it closes the pool, drops an embedded
 * database and stops the gauges.
 *
 * <pre>{@code
 * try (SessionDatabase db = new SessionDatabase(config, collector)) {
 *   new ChatSessionStore(db.dataSource(), new QueryTimer(collector)).migrate();
 * }
 * }</pre>
 */
final class SessionDatabase implements AutoCloseable {

  private final MetricsCollector collector;
  private final boolean embedded;
  private final HikariDataSource dataSource = new HikariDataSource();
  private final HikariPoolMetrics poolMetrics;

  SessionDatabase(LlmConfig config, MetricsCollector collector) {
    this.collector = collector;
    this.embedded = config.jdbcUrl() == null;
    dataSource.setPoolName(LlmOrchestratorService.POOL);
    dataSource.setJdbcUrl(embedded ? "jdbc:h2:mem:llm-sessions-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"
        : config.jdbcUrl());
    if (config.jdbcUser() != null) {
      dataSource.setUsername(config.jdbcUser());
    }
    if (config.jdbcPassword() != null) {
      dataSource.setPassword(config.jdbcPassword());
    }
    dataSource.setMaximumPoolSize(config.poolSize());
    this.poolMetrics = HikariPoolMetrics.instrument(dataSource, collector);
  }

  /** The pool. */
  HikariDataSource dataSource() {
    return dataSource;
  }

  /** Closes the pool (and drops an embedded database), then stops the gauges. */
  @Override
  public void close() {
    if (!dataSource.isClosed()) {
      dataSource.close();
      if (embedded) {
        // DB_CLOSE_DELAY=-1 keeps the in-memory database after the pool's last connection: drop it.
        try (Connection c = DriverManager.getConnection(dataSource.getJdbcUrl()); Statement s = c.createStatement()) {
          s.execute("SHUTDOWN");
        } catch (SQLException e) {
          collector.containFailure("llm_database_shutdown", e);
        }
      }
    }
    poolMetrics.close();
  }
}

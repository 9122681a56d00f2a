package io.pyairtable.metrics.integrations.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import io.pyairtable.metrics.InfrastructureMetrics;
import io.pyairtable.metrics.MetricsCollector;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A HikariCP {@link MetricsTrackerFactory} for client_java 1.x (HikariCP ships one only for the
 * old simpleclient): {@code database_connections_{active,idle,pending,max}{pool}},
 * {@code database_connection_acquire_seconds}, {@code database_connection_usage_seconds},
 * {@code database_connection_creation_seconds} and {@code database_connection_timeouts_total}.
 *
 * <p>The gauges are refreshed from the pool's live counters ({@link HikariPoolMXBean}) after every
 * pool event (acquire, create, timeout; a release a moment later, because Hikari reports the usage
 * before it puts the connection back) and on a fixed interval (1 s by default), so they never lag
 * more than that interval. Use {@link #instrument(HikariDataSource, MetricsCollector)} for live
 * counters; a factory set on a bare {@link HikariConfig} reads Hikari's {@link PoolStats}, which
 * Hikari itself refreshes at most once a second. Hikari opens the pool's first connection (its
 * fail-fast check) before it installs a tracker, so that one creation is never timed.
 *
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * config.setJdbcUrl("jdbc:postgresql://db/sessions");
 * config.setPoolName("sessions");
 * HikariDataSource ds = new HikariDataSource(config);
 * HikariPoolMetrics poolMetrics = HikariPoolMetrics.instrument(ds, metrics);
 * }</pre>
 */
public final class HikariPoolMetrics implements MetricsTrackerFactory, AutoCloseable {

  /** How often the gauges are refreshed without a pool event, by default. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);

  private final MetricsCollector collector;
  private final InfrastructureMetrics infrastructure;
  private final HikariDataSource dataSource;
  private final ScheduledExecutorService scheduler;
  private final Duration refreshInterval;

  /** A factory for {@link HikariConfig#setMetricsTrackerFactory}; gauges come from Hikari's PoolStats. */
  public HikariPoolMetrics(MetricsCollector collector) {
    this(collector, null, DEFAULT_REFRESH_INTERVAL);
  }

  private HikariPoolMetrics(MetricsCollector collector, HikariDataSource dataSource, Duration refreshInterval) {
    this.collector = Objects.requireNonNull(collector, "collector");
    this.infrastructure = collector.infrastructure();
    this.dataSource = dataSource;
    this.refreshInterval = refreshInterval;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hikari-pool-metrics");
      t.setDaemon(true);
      return t;
    });
  }

  /** Instruments a data source (started or not), with gauges from its live pool counters. */
  public static HikariPoolMetrics instrument(HikariDataSource dataSource, MetricsCollector collector) {
    return instrument(dataSource, collector, DEFAULT_REFRESH_INTERVAL);
  }

  /** As {@link #instrument(HikariDataSource, MetricsCollector)}, with the gauges' refresh interval. */
  public static HikariPoolMetrics instrument(HikariDataSource dataSource, MetricsCollector collector,
      Duration refreshInterval) {
    HikariPoolMetrics factory = new HikariPoolMetrics(collector, dataSource, refreshInterval);
    dataSource.setMetricsTrackerFactory(factory);
    return factory;
  }

  @Override
  public IMetricsTracker create(String poolName, PoolStats poolStats) {
    infrastructure.initConnectionTimeouts(poolName);
    Tracker tracker = new Tracker(poolName, poolStats);
    tracker.refresh();
    tracker.periodic = scheduler.scheduleWithFixedDelay(tracker::refresh, refreshInterval.toMillis(),
        refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
    return tracker;
  }

  /** Stops the periodic refresh. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  private final class Tracker implements IMetricsTracker {
    private final String pool;
    private final PoolStats stats;
    private volatile ScheduledFuture<?> periodic;

    Tracker(String pool, PoolStats stats) {
      this.pool = pool;
      this.stats = stats;
    }

    synchronized void refresh() {
      try {
        HikariPoolMXBean live = dataSource == null ? null : dataSource.getHikariPoolMXBean();
        if (live != null) {
          infrastructure.updateDatabaseConnections(pool, live.getActiveConnections(), live.getIdleConnections(),
              live.getThreadsAwaitingConnection(), dataSource.getMaximumPoolSize());
        } else {
          infrastructure.updateDatabaseConnections(pool, stats.getActiveConnections(), stats.getIdleConnections(),
              stats.getPendingThreads(), stats.getMaxConnections());
        }
      } catch (RuntimeException e) {
        collector.containFailure("hikari_pool_refresh", e);
      }
    }

    @Override
    public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
      infrastructure.recordConnectionCreation(pool, connectionCreatedMillis / 1e3);
      refresh();
    }

    @Override
    public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
      infrastructure.recordConnectionAcquire(pool, elapsedAcquiredNanos / 1e9);
      refresh();
    }

    @Override
    public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
      infrastructure.recordConnectionUsage(pool, elapsedBorrowedMillis / 1e3);
      // Hikari reports the usage before it returns the connection to the pool: refresh just after.
      try {
        scheduler.execute(this::refresh);
      } catch (RuntimeException e) {
        collector.containFailure("hikari_pool_refresh", e);
      }
    }

    @Override
    public void recordConnectionTimeout() {
      infrastructure.recordConnectionTimeout(pool);
      refresh();
    }

    @Override
    public void close() {
      ScheduledFuture<?> p = periodic;
      if (p != null) {
        p.cancel(false);
      }
    }
  }
}

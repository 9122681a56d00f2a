package io.pyairtable.metrics.examples.shutdown;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one shutdown path of a process that runs several services and the helpers they need (the
 * demo): on {@link #close()} — from {@code close()}, a duration timer or the single JVM shutdown
 * hook of {@link #installHook()} — it
 * <ol>
 *   <li>stops the clients it runs (the traffic generator), so no new work starts;</li>
 *   <li>tells every service that the shutdown began ({@link Service#beginShutdown}: the Airtable
 *       gateway's queue then drops, with {@code 503}, waits that could not end within the grace
 *       period);</li>
 *   <li>stops the services, last started first, so a front service (the API gateway) drains while
 *       the backends its in-flight requests need still serve, each drain given the time left
 *       until one shared deadline ({@code grace} after the start of the shutdown);</li>
 *   <li>then stops the helpers (emulators, Prometheus, redis-server), last started first.</li>
 * </ol>
 * Anything registered is stopped, however far a start-up got. Failures are logged and the path
 * goes on. Safe to call twice; the second call waits for the first.
 *
 * <pre>{@code
 * OrderedShutdown shutdown = new OrderedShutdown(Duration.ofSeconds(10)).installHook();
 * shutdown.helper(redis);
 * shutdown.service("airtable-gateway", airtable::beginShutdown, airtable::stop);
 * shutdown.client(traffic);
 * ...
 * shutdown.close();
 * }</pre>
 */
public final class OrderedShutdown implements AutoCloseable {

  /** Default time in-flight requests get to finish. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(OrderedShutdown.class);

  /** A service of the process: told when the shutdown begins, then stopped by the shared deadline. */
  public interface Service extends AutoCloseable {
    /**
     * The shutdown began; it must be complete by {@code deadlineNanos} (on {@link System#nanoTime()}'s
     * clock). By default nothing: a service with no queue of its own has only HTTP to drain.
     */
    default void beginShutdown(long deadlineNanos) {
    }

    /** Stops the service, letting in-flight requests finish until {@code deadlineNanos}. */
    void stop(long deadlineNanos);

    /** Stops on its own within {@link #DEFAULT_GRACE}: {@link #beginShutdown}, then {@link #stop}. */
    @Override
    default void close() {
      long deadline = System.nanoTime() + DEFAULT_GRACE.toNanos();
      beginShutdown(deadline);
      stop(deadline);
    }
  }

  private record Named<T>(String name, T value) {}

  private final Duration grace;
  private final Deque<Named<AutoCloseable>> clients = new ArrayDeque<>();
  private final Deque<Named<Service>> services = new ArrayDeque<>();
  private final Deque<Named<AutoCloseable>> helpers = new ArrayDeque<>();
  private boolean closing;
  private boolean closed;
  private Thread hook;

  public OrderedShutdown(Duration grace) {
    this.grace = Objects.requireNonNull(grace, "grace");
  }

  /** The grace period in-flight requests get. */
  public Duration grace() {
    return grace;
  }

  /** Registers this path as the JVM's shutdown hook (SIGTERM, Ctrl-C); {@link #close()} unregisters it. */
  public synchronized OrderedShutdown installHook() {
    if (hook == null) {
      hook = new Thread(this::close, "ordered-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
    }
    return this;
  }

  /** A helper process or server, stopped after every service. */
  public synchronized void helper(String name, AutoCloseable helper) {
    add(helpers, name, helper);
  }

  /** A service, stopped after the clients and before the helpers. */
  public synchronized void service(String name, Service service) {
    add(services, name, service);
  }

  /** A client of the services (traffic), stopped first. */
  public synchronized void client(String name, AutoCloseable client) {
    add(clients, name, client);
  }

  private <T> void add(Deque<Named<T>> to, String name, T value) {
    if (closing) {
      throw new IllegalStateException("shutting down: cannot register " + name);
    }
    to.push(new Named<>(name, value));
  }

  /** True once {@link #close()} has finished. */
  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    List<Named<AutoCloseable>> clientsNow;
    List<Named<Service>> servicesNow;
    List<Named<AutoCloseable>> helpersNow;
    synchronized (this) {
      while (closing && !closed) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (closed) {
        return;
      }
      closing = true;
      clientsNow = new ArrayList<>(clients);
      servicesNow = new ArrayList<>(services);
      helpersNow = new ArrayList<>(helpers);
    }
    long start = System.nanoTime();
    long deadline = start + grace.toNanos();
    try {
      clientsNow.forEach(c -> run("stopping " + c.name(), () -> c.value().close()));
      servicesNow.forEach(s -> run("shutting down " + s.name(), () -> s.value().beginShutdown(deadline)));
      servicesNow.forEach(s -> run("stopping " + s.name(), () -> s.value().stop(deadline)));
      helpersNow.forEach(h -> run("stopping " + h.name(), () -> h.value().close()));
      LOG.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    } finally {
      synchronized (this) {
        closed = true;
        notifyAll();
        if (hook != null && Thread.currentThread() != hook) {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs this path, which is done
          }
        }
      }
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void run(String what, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      LOG.warn("{} failed: {}", what, e.getClass().getSimpleName());
    } catch (Error e) {
      LOG.warn("{} failed: {}", what, e.getClass().getSimpleName());
      throw e;
    }
  }
}

package io.pyairtable.metrics.integrations.redis;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CompleteableCommand;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.tracing.TraceContext;
import io.lettuce.core.tracing.TraceContextProvider;
import io.lettuce.core.tracing.Tracer;
import io.lettuce.core.tracing.TracerProvider;
import io.lettuce.core.tracing.Tracing;
import io.pyairtable.metrics.InfrastructureMetrics;
import io.pyairtable.metrics.MetricsCollector;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * Counts and times every Redis command a Lettuce client sends, through Lettuce's own tracing hook
 * ({@link Tracing} in {@code ClientResources}): Lettuce opens a span for each command it writes,
 * and this implementation turns the span into {@code redis_operations_total{operation,result}}
 * and {@code redis_operation_duration_seconds{operation}}. {@code operation} is the command name
 * (GET, SET, EVAL, ...); {@code result} is {@code error} when Redis answered an error or the
 * command failed (timeout, disconnect), else {@code success}. No method is proxied by hand.
 *
 * <p>Installing it replaces any other {@code Tracing} of those client resources (Brave,
 * Micrometer). Commands rejected before reaching the connection (for example while disconnected
 * with {@code DisconnectedBehavior.REJECT_COMMANDS}) never reach a span, so they are not counted.
 *
 * <pre>{@code
 * ClientResources resources = ClientResources.builder()
 *     .tracing(new LettuceCommandMetrics(metrics))
 *     .build();
 * RedisClient redis = RedisClient.create(resources, "redis://localhost:6379");
 * }</pre>
 */
public final class LettuceCommandMetrics implements Tracing {

  private static final Endpoint ENDPOINT = new Endpoint() {};
  private static final TraceContextProvider NO_CONTEXT = () -> TraceContext.EMPTY;

  private final MetricsCollector collector;
  private final InfrastructureMetrics infrastructure;
  private final TracerProvider tracerProvider;

  public LettuceCommandMetrics(MetricsCollector collector) {
    this.collector = Objects.requireNonNull(collector, "collector");
    this.infrastructure = collector.infrastructure();
    Tracer tracer = new CommandTracer();
    this.tracerProvider = () -> tracer;
  }

  @Override
  public TracerProvider getTracerProvider() {
    return tracerProvider;
  }

  @Override
  public TraceContextProvider initialTraceContextProvider() {
    return NO_CONTEXT;
  }

  @Override
  public boolean isEnabled() {
    return collector.enabled();
  }

  @Override
  public boolean includeCommandArgsInSpanTags() {
    return false;
  }

  @Override
  public Endpoint createEndpoint(SocketAddress socketAddress) {
    return ENDPOINT;
  }

  private final class CommandTracer extends Tracer {
    @Override
    public Span nextSpan() {
      return new CommandSpan();
    }

    @Override
    public Span nextSpan(TraceContext traceContext) {
      return new CommandSpan();
    }
  }

  /** One command: started when Lettuce writes it, recorded once when it completes. */
  private final class CommandSpan extends Tracer.Span {
    private String name;
    private long startNanos;
    private boolean failed;
    private boolean finished;

    @Override
    public Tracer.Span start(RedisCommand<?, ?, ?> command) {
      startNanos = System.nanoTime();
      try {
        if (name == null) {
          name = command.getType().toString();
        }
        if (command instanceof CompleteableCommand<?> completeable) {
          completeable.onComplete((result, failure) -> {
            CommandOutput<?, ?, ?> output = command.getOutput();
            if (failure != null || (output != null && output.hasError())) {
              failed = true;
            }
            finish();
          });
        }
      } catch (RuntimeException e) {
        collector.containFailure("redis_command_span", e);
      }
      return this;
    }

    @Override
    public Tracer.Span name(String name) {
      this.name = name;
      return this;
    }

    @Override
    public Tracer.Span annotate(String value) {
      return this;
    }

    @Override
    public Tracer.Span tag(String key, String value) {
      return this;
    }

    @Override
    public Tracer.Span error(Throwable throwable) {
      failed = true;
      return this;
    }

    @Override
    public Tracer.Span remoteEndpoint(Endpoint endpoint) {
      return this;
    }

    @Override
    public void finish() {
      synchronized (this) {
        if (finished || startNanos == 0) {
          return;
        }
        finished = true;
      }
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      infrastructure.recordRedisOperation(name == null ? "UNKNOWN" : name, !failed, seconds);
    }
  }
}

package io.pyairtable.metrics.examples.spring;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.pyairtable.metrics.spring.timed.TimedOperation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.springframework.stereotype.Service;

/**
 * Syncs a workspace with its Airtable base through the {@code airtable} circuit breaker, timed as
 * the {@code data_sync} business operation. A workspace id starting with {@code wspBroken} stands
 * for an upstream that fails.
 *
 * <pre>{@code
 * sync.sync("wspAAAAAAAAAAAAAA").toCompletableFuture().join();
 * }</pre>
 */
@Service
public class WorkspaceSync {

  /** The upstream failed. */
  public static final class UpstreamFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UpstreamFailed(String workspaceId) {
      super("Airtable sync failed for " + workspaceId);
    }
  }

  private final CircuitBreaker airtable;
  private final UserDirectory users;

  public WorkspaceSync(CircuitBreakerRegistry breakers, UserDirectory users) {
    this.airtable = breakers.circuitBreaker("airtable");
    this.users = users;
  }

  @TimedOperation("data_sync")
  public CompletionStage<Integer> sync(String workspaceId) {
    return CompletableFuture.supplyAsync(() -> airtable.executeSupplier(() -> {
      if (workspaceId.startsWith("wspBroken")) {
        throw new UpstreamFailed(workspaceId);
      }
      return users.countInWorkspace(workspaceId);
    }));
  }
}

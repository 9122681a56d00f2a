package io.pyairtable.metrics.examples.spring;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The HTTP API: {@code GET /users/{id}}, {@code POST /workspaces/{workspaceId}/sync} (async).
 *
 * <pre>{@code
 * curl localhost:8080/users/1                      -> {"id":1,"name":"Ada","workspaceId":"wspAAAAAAAAAAAAAA"}
 * curl -X POST localhost:8080/workspaces/wspAAAAAAAAAAAAAA/sync   -> {"workspaceId":"...","users":2}
 * }</pre>
 */
@RestController
public class WorkspaceController {

  private final UserDirectory users;
  private final WorkspaceSync sync;

  public WorkspaceController(UserDirectory users, WorkspaceSync sync) {
    this.users = users;
    this.sync = sync;
  }

  @GetMapping("/users/{id}")
  public UserDirectory.User user(@PathVariable("id") long id) {
    return users.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such user"));
  }

  @PostMapping("/workspaces/{workspaceId}/sync")
  public CompletionStage<Map<String, Object>> sync(@PathVariable("workspaceId") String workspaceId) {
    return sync.sync(workspaceId).thenApply(n -> Map.of("workspaceId", workspaceId, "users", n));
  }

  @ExceptionHandler(WorkspaceSync.UpstreamFailed.class)
  @ResponseStatus(HttpStatus.BAD_GATEWAY)
  public Map<String, String> upstreamFailed() {
    return Map.of("error", "upstream_failed", "message", "Airtable did not answer");
  }
}

package io.pyairtable.metrics.spring.app;

import io.pyairtable.metrics.spring.timed.TimedOperation;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.server.ResponseStatusException;

/** A small Spring MVC application for the starter's tests: one handler per path Spring can take. */
@SpringBootApplication
public class UsersApp {

  @Bean(destroyMethod = "shutdown")
  ExecutorService asyncWork() {
    return Executors.newFixedThreadPool(2);
  }

  /** Thrown for a missing workspace; answered by an {@code @ExceptionHandler}. */
  static final class WorkspaceMissing extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WorkspaceMissing(String id) {
      super("workspace " + id + " is missing");
    }
  }

  @Service
  public static class UserDirectory {
    @TimedOperation("user_lookup")
    public Map<String, String> find(String id) {
      if (id.equals("boom")) {
        throw new IllegalStateException("lookup failed");
      }
      return Map.of("id", id, "name", "user " + id);
    }
  }

  @RestController
  static class Users {
    private final UserDirectory directory;
    private final Executor work;

    Users(UserDirectory directory, ExecutorService asyncWork) {
      this.directory = directory;
      this.work = asyncWork;
    }

    @GetMapping("/users/{id}")
    Map<String, String> user(@PathVariable("id") String id) {
      if (id.equals("gone")) {
        throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such user");
      }
      return directory.find(id);
    }

    @GetMapping("/workspaces/{id}")
    Map<String, String> workspace(@PathVariable("id") String id) {
      throw new WorkspaceMissing(id);
    }

    @ExceptionHandler(WorkspaceMissing.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    Map<String, String> missing(WorkspaceMissing e) {
      return Map.of("error", "workspace_missing");
    }

    @GetMapping("/deferred/{id}")
    DeferredResult<Map<String, String>> deferred(@PathVariable("id") String id) {
      DeferredResult<Map<String, String>> result = new DeferredResult<>();
      work.execute(() -> result.setResult(Map.of("id", id)));
      return result;
    }

    @GetMapping("/future/{id}")
    CompletableFuture<Map<String, String>> future(@PathVariable("id") String id) {
      return CompletableFuture.supplyAsync(() -> {
        if (id.equals("fail")) {
          throw new IllegalArgumentException("future failed");
        }
        return Map.of("id", id);
      }, work);
    }
  }
}

package io.pyairtable.metrics.http.status;

/**
 * A dependency the service needs to be ready (Redis, a database, an upstream API). The readiness
 * endpoint runs every declared check; a check that throws counts as down.
 *
 * <pre>{@code
 * HealthCheck db = () -> dataSource.getConnection().isValid(1)
 *     ? HealthCheck.Result.up() : HealthCheck.Result.down("connection not valid");
 * }</pre>
 */
@FunctionalInterface
public interface HealthCheck {

  /** Checks the dependency once. */
  Result check() throws Exception;

  /** The outcome of one check. */
  record Result(boolean healthy, String detail) {

    public static Result up() {
      return new Result(true, null);
    }

    public static Result down(String detail) {
      return new Result(false, detail);
    }
  }
}

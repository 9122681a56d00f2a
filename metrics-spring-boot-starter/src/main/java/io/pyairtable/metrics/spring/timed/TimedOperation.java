package io.pyairtable.metrics.spring.timed;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Times every call of a bean method as a business operation, like core's {@code Timed}:
 * {@code business_operation_duration_seconds{operation_type}} and
 * {@code business_operations_total{operation_type,status}}; success when the method returns,
 * failure when it throws (the exception is rethrown unchanged). For a method returning a
 * {@code CompletionStage} the clock stops when the stage completes. On a class, it times every
 * public method with the class's operation type.
 *
 * <pre>{@code
 * @Service
 * class SyncService {
 *   @TimedOperation("data_sync")
 *   public SyncReport sync(String baseId) { ... }
 * }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface TimedOperation {

  /** The {@code operation_type} label. */
  String value();
}

package io.pyairtable.metrics.http.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.ToIntFunction;

/**
 * Which HTTP status an uncaught exception is answered with. The nearest registered superclass
 * wins; an exception nothing maps gives 500 and its message is never shown. Defaults:
 * {@link HttpStatusException} (its own status), {@code IllegalArgumentException} and Jackson's
 * {@code JsonProcessingException} 400, {@code SecurityException} 403,
 * {@code NoSuchElementException} 404, {@code ConcurrentModificationException} 409,
 * {@code RejectedExecutionException} 503; the Javalin adapter adds Javalin's
 * {@code HttpResponseException} (its own status).
 *
 * <pre>{@code
 * ErrorMappings mappings = ErrorMappings.builder().withDefaults()
 *     .map(QuotaExceededException.class, 429)
 *     .map(UpstreamException.class, e -> e.isTimeout() ? 503 : 502)
 *     .build();
 * mappings.statusFor(new IllegalArgumentException("bad id")); // 400
 * }</pre>
 */
public final class ErrorMappings {

  private static final ErrorMappings DEFAULTS = builder().withDefaults().build();

  private final Map<Class<?>, ToIntFunction<Throwable>> byClass;
  private final ClassValue<ToIntFunction<Throwable>> resolved = new ClassValue<>() {
    @Override
    protected ToIntFunction<Throwable> computeValue(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        ToIntFunction<Throwable> f = byClass.get(c);
        if (f != null) {
          return f;
        }
      }
      return null;
    }
  };

  private ErrorMappings(Map<Class<?>, ToIntFunction<Throwable>> byClass) {
    this.byClass = Map.copyOf(byClass);
  }

  /** The default mappings. */
  public static ErrorMappings defaults() {
    return DEFAULTS;
  }

  /** A builder without mappings. */
  public static Builder builder() {
    return new Builder(new LinkedHashMap<>());
  }

  /** A builder starting from these mappings. */
  public Builder toBuilder() {
    return new Builder(new LinkedHashMap<>(byClass));
  }

  /** The status for {@code error}: the nearest mapped superclass's, else 500. */
  public int statusFor(Throwable error) {
    ToIntFunction<Throwable> f = resolved.get(error.getClass());
    if (f == null) {
      return 500;
    }
    int status = f.applyAsInt(error);
    return status >= 400 && status <= 599 ? status : 500;
  }

  /** Builds {@link ErrorMappings}. */
  public static final class Builder {
    private final Map<Class<?>, ToIntFunction<Throwable>> byClass;

    private Builder(Map<Class<?>, ToIntFunction<Throwable>> byClass) {
      this.byClass = byClass;
    }

    /** Adds the default mappings. */
    public Builder withDefaults() {
      map(HttpStatusException.class, HttpStatusException::status);
      map(IllegalArgumentException.class, 400);
      map(JsonProcessingException.class, 400);
      map(SecurityException.class, 403);
      map(NoSuchElementException.class, 404);
      map(ConcurrentModificationException.class, 409);
      map(RejectedExecutionException.class, 503);
      return this;
    }

    /** Exceptions of {@code type} (and subclasses not mapped closer) are answered with {@code status}. */
    public Builder map(Class<? extends Throwable> type, int status) {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("an error status is 400..599, was " + status);
      }
      byClass.put(Objects.requireNonNull(type, "type"), e -> status);
      return this;
    }

    /** Exceptions of {@code type} are answered with the status {@code status} computes from them. */
    @SuppressWarnings("unchecked")
    public <E extends Throwable> Builder map(Class<E> type, ToIntFunction<? super E> status) {
      Objects.requireNonNull(status, "status");
      byClass.put(Objects.requireNonNull(type, "type"), e -> status.applyAsInt((E) e));
      return this;
    }

    public ErrorMappings build() {
      return new ErrorMappings(byClass);
    }
  }
}

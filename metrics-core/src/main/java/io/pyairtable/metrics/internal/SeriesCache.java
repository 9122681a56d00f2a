package io.pyairtable.metrics.internal;

import io.pyairtable.metrics.LabelValues;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The series of one family, by label values, with a budget. A lookup of label values seen before
 * walks one {@link ConcurrentHashMap} per label and allocates nothing. A new combination is bound
 * once through {@code factory}; past {@code budget} combinations, new ones all resolve to a single
 * overflow series (every label {@link LabelValues#OVERFLOW}) and {@code onOverflow} runs, so memory
 * stays bounded whatever values callers pass.
 *
 * <pre>{@code
 * SeriesCache<CounterDataPoint> cache =
 *     new SeriesCache<>(2, 1000, values, counter::labelValues, overflowCounter::inc);
 * cache.get("GET", "/users").inc();
 * }</pre>
 *
 * @param <T> what is bound per label combination (a data point, or a bundle of them)
 */
public final class SeriesCache<T> {

  private final int arity;
  private final int budget;
  private final LabelValues values;
  private final Function<String[], T> factory;
  private final Runnable onOverflow;
  private final ConcurrentHashMap<String, Object> root = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private volatile int size;
  private volatile T overflow;
  private volatile T single;

  /**
   * @param arity the number of label values per lookup
   * @param budget the most distinct combinations kept before folding into the overflow series
   * @param values how raw values are sanitized
   * @param factory binds a sanitized combination (called once per combination, under a lock)
   * @param onOverflow called for every lookup folded into the overflow series
   */
  public SeriesCache(int arity, int budget, LabelValues values, Function<String[], T> factory, Runnable onOverflow) {
    if (budget < 1) {
      throw new IllegalArgumentException("series budget must be at least 1, was " + budget);
    }
    this.arity = arity;
    this.budget = budget;
    this.values = values;
    this.factory = factory;
    this.onOverflow = onOverflow;
  }

  /** The number of label values a lookup takes. */
  public int arity() {
    return arity;
  }

  /** Distinct combinations bound so far, the overflow series not included. */
  public int size() {
    return size;
  }

  /** The series budget. */
  public int budget() {
    return budget;
  }

  /** The series of a family without labels. */
  public T get() {
    T s = single;
    if (s == null) {
      synchronized (lock) {
        if (single == null) {
          single = factory.apply(new String[0]);
        }
        s = single;
      }
    }
    return s;
  }

  /** The series for one label value. */
  @SuppressWarnings("unchecked")
  public T get(String a) {
    a = values.sanitize(a);
    Object hit = root.get(a);
    return hit != null ? (T) hit : miss(a);
  }

  /** The series for two label values. */
  @SuppressWarnings("unchecked")
  public T get(String a, String b) {
    a = values.sanitize(a);
    b = values.sanitize(b);
    Object level = root.get(a);
    if (level != null) {
      Object hit = ((ConcurrentHashMap<String, Object>) level).get(b);
      if (hit != null) {
        return (T) hit;
      }
    }
    return miss(a, b);
  }

  /** The series for three label values. */
  @SuppressWarnings("unchecked")
  public T get(String a, String b, String c) {
    a = values.sanitize(a);
    b = values.sanitize(b);
    c = values.sanitize(c);
    Object level = root.get(a);
    if (level != null) {
      level = ((ConcurrentHashMap<String, Object>) level).get(b);
      if (level != null) {
        Object hit = ((ConcurrentHashMap<String, Object>) level).get(c);
        if (hit != null) {
          return (T) hit;
        }
      }
    }
    return miss(a, b, c);
  }

  /** The series for four label values. */
  @SuppressWarnings("unchecked")
  public T get(String a, String b, String c, String d) {
    a = values.sanitize(a);
    b = values.sanitize(b);
    c = values.sanitize(c);
    d = values.sanitize(d);
    Object level = root.get(a);
    if (level != null) {
      level = ((ConcurrentHashMap<String, Object>) level).get(b);
      if (level != null) {
        level = ((ConcurrentHashMap<String, Object>) level).get(c);
        if (level != null) {
          Object hit = ((ConcurrentHashMap<String, Object>) level).get(d);
          if (hit != null) {
            return (T) hit;
          }
        }
      }
    }
    return miss(a, b, c, d);
  }

  /** The series for any number of label values (allocates; prefer the fixed-arity forms). */
  @SuppressWarnings("unchecked")
  public T getAll(String... raw) {
    if (raw.length != arity) {
      throw new IllegalArgumentException("expected " + arity + " label values, got " + raw.length + ": "
          + Arrays.toString(raw));
    }
    if (arity == 0) {
      return get();
    }
    String[] clean = new String[raw.length];
    Object level = root;
    for (int i = 0; i < raw.length; i++) {
      clean[i] = values.sanitize(raw[i]);
      level = level == null ? null : ((ConcurrentHashMap<String, Object>) level).get(clean[i]);
    }
    return level != null ? (T) level : miss(clean);
  }

  /** The overflow series, bound on first use. */
  public T overflow() {
    T o = overflow;
    if (o == null) {
      synchronized (lock) {
        if (overflow == null) {
          String[] labels = new String[arity];
          Arrays.fill(labels, LabelValues.OVERFLOW);
          overflow = factory.apply(labels);
        }
        o = overflow;
      }
    }
    return o;
  }

  @SuppressWarnings("unchecked")
  private T miss(String... clean) {
    if (clean.length != arity) {
      throw new IllegalArgumentException("expected " + arity + " label values, got " + clean.length);
    }
    if (size >= budget) {
      onOverflow.run();
      return overflow();
    }
    synchronized (lock) {
      Object existing = root;
      for (int i = 0; i < clean.length && existing != null; i++) {
        existing = ((ConcurrentHashMap<String, Object>) existing).get(clean[i]);
      }
      if (existing != null) {
        return (T) existing;
      }
      if (size >= budget) {
        onOverflow.run();
        return overflow();
      }
      ConcurrentHashMap<String, Object> level = root;
      for (int i = 0; i < clean.length - 1; i++) {
        level = (ConcurrentHashMap<String, Object>) level.computeIfAbsent(clean[i], k -> new ConcurrentHashMap<>());
      }
      T bound = factory.apply(clean.clone());
      level.put(clean[clean.length - 1], bound);
      size = size + 1;
      return bound;
    }
  }
}

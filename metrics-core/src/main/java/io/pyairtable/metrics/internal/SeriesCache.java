package io.pyairtable.metrics.internal;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The series of one family, by label values, with a budget. A lookup of label values seen before
 * hashes the values (Strings cache their hash), probes one open-addressing table and compares the
 * values: no allocation, no lock, one volatile read. A new combination is bound once through
 * {@code factory} under a lock; past {@code budget} combinations, new ones all resolve to a single
 * overflow series (every label {@link LabelSanitizer#OVERFLOW}) and {@code onOverflow} runs, so memory
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

  private static final int INITIAL_CAPACITY = 16;

  private final int arity;
  private final int budget;
  private final LabelSanitizer values;
  private final Function<String[], T> factory;
  private final Runnable onOverflow;
  private final Object lock = new Object();
  /** Open addressing with linear probing, at most half full; replaced whole when it grows. */
  private volatile Entry<T>[] table = newTable(INITIAL_CAPACITY);
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
  public SeriesCache(int arity, int budget, LabelSanitizer values, Function<String[], T> factory, Runnable onOverflow) {
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
  public T get(String a) {
    a = values.sanitize(a);
    Entry<T>[] t = table;
    int mask = t.length - 1;
    for (int i = a.hashCode() & mask; ; i = (i + 1) & mask) {
      Entry<T> e = t[i];
      if (e == null) {
        return miss(a);
      }
      if (e.a.equals(a)) {
        return e.value;
      }
    }
  }

  /** The series for two label values. */
  public T get(String a, String b) {
    a = values.sanitize(a);
    b = values.sanitize(b);
    Entry<T>[] t = table;
    int mask = t.length - 1;
    for (int i = hash(a, b, null, null) & mask; ; i = (i + 1) & mask) {
      Entry<T> e = t[i];
      if (e == null) {
        return miss(a, b);
      }
      if (e.a.equals(a) && e.b.equals(b)) {
        return e.value;
      }
    }
  }

  /** The series for three label values. */
  public T get(String a, String b, String c) {
    a = values.sanitize(a);
    b = values.sanitize(b);
    c = values.sanitize(c);
    Entry<T>[] t = table;
    int mask = t.length - 1;
    for (int i = hash(a, b, c, null) & mask; ; i = (i + 1) & mask) {
      Entry<T> e = t[i];
      if (e == null) {
        return miss(a, b, c);
      }
      if (e.a.equals(a) && e.b.equals(b) && e.c.equals(c)) {
        return e.value;
      }
    }
  }

  /** The series for four label values. */
  public T get(String a, String b, String c, String d) {
    a = values.sanitize(a);
    b = values.sanitize(b);
    c = values.sanitize(c);
    d = values.sanitize(d);
    Entry<T>[] t = table;
    int mask = t.length - 1;
    for (int i = hash(a, b, c, d) & mask; ; i = (i + 1) & mask) {
      Entry<T> e = t[i];
      if (e == null) {
        return miss(a, b, c, d);
      }
      if (e.a.equals(a) && e.b.equals(b) && e.c.equals(c) && e.d.equals(d)) {
        return e.value;
      }
    }
  }

  /** The series for any number of label values (allocates; prefer the fixed-arity forms). */
  public T getAll(String... raw) {
    if (raw.length != arity) {
      throw new IllegalArgumentException("expected " + arity + " label values, got " + raw.length + ": "
          + Arrays.toString(raw));
    }
    switch (arity) {
      case 0: return get();
      case 1: return get(raw[0]);
      case 2: return get(raw[0], raw[1]);
      case 3: return get(raw[0], raw[1], raw[2]);
      case 4: return get(raw[0], raw[1], raw[2], raw[3]);
      default:
        String[] clean = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
          clean[i] = values.sanitize(raw[i]);
        }
        Entry<T> hit = find(table, clean);
        return hit != null ? hit.value : miss(clean);
    }
  }

  /** The overflow series, bound on first use. */
  public T overflow() {
    T o = overflow;
    if (o == null) {
      synchronized (lock) {
        if (overflow == null) {
          String[] labels = new String[arity];
          Arrays.fill(labels, LabelSanitizer.OVERFLOW);
          overflow = factory.apply(labels);
        }
        o = overflow;
      }
    }
    return o;
  }

  private T miss(String... clean) {
    if (clean.length != arity) {
      throw new IllegalArgumentException("expected " + arity + " label values, got " + clean.length);
    }
    if (size >= budget) {
      onOverflow.run();
      return overflow();
    }
    synchronized (lock) {
      Entry<T> existing = find(table, clean);
      if (existing != null) {
        return existing.value;
      }
      if (size >= budget) {
        onOverflow.run();
        return overflow();
      }
      Entry<T> entry = new Entry<>(clean.clone(), factory.apply(clean.clone()));
      Entry<T>[] t = table;
      if ((size + 1) * 2 > t.length) {
        t = grow(t);
      }
      insert(t, entry);
      table = t; // publishes the entry (and a grown table) to lock-free readers
      size = size + 1;
      return entry.value;
    }
  }

  private Entry<T> find(Entry<T>[] t, String[] key) {
    int mask = t.length - 1;
    for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
      Entry<T> e = t[i];
      if (e == null || Arrays.equals(e.key, key)) {
        return e;
      }
    }
  }

  private Entry<T>[] grow(Entry<T>[] old) {
    Entry<T>[] bigger = newTable(old.length * 2);
    for (Entry<T> e : old) {
      if (e != null) {
        insert(bigger, e);
      }
    }
    return bigger;
  }

  private static <T> void insert(Entry<T>[] t, Entry<T> entry) {
    int mask = t.length - 1;
    int i = hash(entry.key) & mask;
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    t[i] = entry;
  }

  private static int hash(String[] key) {
    switch (key.length) {
      case 0: return 0;
      case 1: return key[0].hashCode();
      case 2: return hash(key[0], key[1], null, null);
      case 3: return hash(key[0], key[1], key[2], null);
      case 4: return hash(key[0], key[1], key[2], key[3]);
      default: return Arrays.hashCode(key);
    }
  }

  private static int hash(String a, String b, String c, String d) {
    int h = a.hashCode() * 31 + b.hashCode();
    if (c != null) {
      h = h * 31 + c.hashCode();
    }
    if (d != null) {
      h = h * 31 + d.hashCode();
    }
    return h ^ (h >>> 16);
  }

  @SuppressWarnings("unchecked")
  private static <T> Entry<T>[] newTable(int capacity) {
    return (Entry<T>[]) new Entry<?>[capacity];
  }

  /** One bound combination; final fields make it safe to read without a lock once published. */
  private static final class Entry<T> {
    final String[] key;
    final String a;
    final String b;
    final String c;
    final String d;
    final T value;

    Entry(String[] key, T value) {
      this.key = key;
      this.a = key.length > 0 ? key[0] : null;
      this.b = key.length > 1 ? key[1] : null;
      this.c = key.length > 2 ? key[2] : null;
      this.d = key.length > 3 ? key[3] : null;
      this.value = value;
    }
  }
}

package io.pyairtable.metrics;

import io.pyairtable.metrics.internal.LabelSanitizer;

/**
 * The HTTP series of one collector by (method, endpoint, status code), within the HTTP series
 * budget. One open-addressing table holds the endpoints, (method, endpoint) pairs; each endpoint
 * holds its status codes in a small table keyed by the {@code int} code, so a lookup seen before
 * hashes two strings (which cache their hash), compares them (identity first) and probes an
 * {@code int}: no status string, no allocation, no lock. Readers see immutable snapshots
 * published through volatile fields; a new combination is bound once under a lock.
 *
 * <p>The budget counts combinations, as {@code SeriesCache} does for other families: past it, a
 * new combination resolves to the overflow series (every label {@link LabelSanitizer#OVERFLOW})
 * and {@code onOverflow} runs. An endpoint is added only when one of its combinations is bound, so
 * the table never holds more endpoints than combinations. Label values are sanitized as
 * everywhere else, the status code too: when a cut status label (a label limit below the code's
 * digits) makes two codes one combination, they share its series.
 *
 * <pre>{@code
 * HttpSeriesTable table = new HttpSeriesTable(1000, new LabelSanitizer(128), binder, overflows);
 * HttpSeries s = table.get("GET", "/users/{id}", 200);
 * }</pre>
 */
final class HttpSeriesTable {

  /**
   * Binds the data points of one sanitized combination (called once per combination, under a
   * lock); {@code code} is the status code it is indexed under, {@code statusCode} its label.
   */
  interface Binder {
    HttpSeries bind(String method, String endpoint, String statusCode, int code);
  }

  private static final int INITIAL_CAPACITY = 16;

  private final int budget;
  private final LabelSanitizer values;
  private final Binder binder;
  private final Runnable onOverflow;
  private final Object lock = new Object();
  /** Open addressing with linear probing, at most half full; replaced whole when it grows. */
  private volatile Endpoint[] endpoints = new Endpoint[INITIAL_CAPACITY];
  private int endpointCount;
  private volatile int size;
  private volatile HttpSeries overflow;

  HttpSeriesTable(int budget, LabelSanitizer values, Binder binder, Runnable onOverflow) {
    if (budget < 1) {
      throw new IllegalArgumentException("series budget must be at least 1, was " + budget);
    }
    this.budget = budget;
    this.values = values;
    this.binder = binder;
    this.onOverflow = onOverflow;
  }

  /** Distinct combinations bound so far, the overflow series not included. */
  int size() {
    return size;
  }

  /** The label value a raw one is recorded as. */
  String sanitize(String value) {
    return values.sanitize(value);
  }

  /** The series of one combination of raw label values, bound on first use (or the overflow series). */
  HttpSeries get(String method, String endpoint, int statusCode) {
    if (method != null && endpoint != null) {
      // The common case: the very strings passed before (route templates, method names), which
      // are the table's keys when they needed no sanitizing, found by identity: no sanitizing,
      // no character compared. A key is sanitized, so a value identical to it sanitizes to itself.
      Endpoint[] t = endpoints;
      int mask = t.length - 1;
      for (int i = hash(method, endpoint) & mask; ; i = (i + 1) & mask) {
        Endpoint x = t[i];
        if (x == null) {
          break;
        }
        if (x.method == method && x.endpoint == endpoint) {
          HttpSeries s = x.get(statusCode);
          if (s != null) {
            return s;
          }
          break;
        }
      }
    }
    String m = values.sanitize(method);
    String e = values.sanitize(endpoint);
    Endpoint found = find(m, e);
    if (found != null) {
      HttpSeries s = found.get(statusCode);
      if (s != null) {
        return s;
      }
    }
    return miss(m, e, statusCode);
  }

  /** The endpoint of sanitized values, null while none of its combinations is bound. */
  Endpoint find(String method, String endpoint) {
    Endpoint[] t = endpoints;
    int mask = t.length - 1;
    for (int i = hash(method, endpoint) & mask; ; i = (i + 1) & mask) {
      Endpoint x = t[i];
      if (x == null || (x.method.equals(method) && x.endpoint.equals(endpoint))) {
        return x;
      }
    }
  }

  /** A combination of sanitized method and endpoint whose status code is not indexed yet. */
  HttpSeries miss(String method, String endpoint, int statusCode) {
    String label = values.sanitize(LabelSanitizer.statusCode(statusCode));
    HttpSeries s = boundOrOverflow(method, endpoint, label);
    if (s != null) {
      return s;
    }
    synchronized (lock) {
      s = boundOrOverflow(method, endpoint, label);
      if (s != null) {
        return s;
      }
      Endpoint found = find(method, endpoint);
      if (found == null) {
        found = add(new Endpoint(method, endpoint));
      }
      s = binder.bind(method, endpoint, label, statusCode);
      found.add(s);
      size = size + 1;
      return s;
    }
  }

  /**
   * The series bound under {@code label} (by another thread meanwhile, or, for a cut label, under
   * another code with the same label); else, past the budget, the overflow series (counted); else null.
   */
  private HttpSeries boundOrOverflow(String method, String endpoint, String label) {
    Endpoint found = find(method, endpoint);
    HttpSeries s = found == null ? null : found.byLabel(label);
    if (s != null) {
      return s;
    }
    if (size >= budget) {
      onOverflow.run();
      return overflow();
    }
    return null;
  }

  /** The overflow series, bound on first use. */
  HttpSeries overflow() {
    HttpSeries o = overflow;
    if (o == null) {
      synchronized (lock) {
        if (overflow == null) {
          overflow = binder.bind(LabelSanitizer.OVERFLOW, LabelSanitizer.OVERFLOW, LabelSanitizer.OVERFLOW, 0);
        }
        o = overflow;
      }
    }
    return o;
  }

  private Endpoint add(Endpoint endpoint) {
    Endpoint[] t = endpoints;
    if ((endpointCount + 1) * 2 > t.length) {
      Endpoint[] bigger = new Endpoint[t.length * 2];
      for (Endpoint x : t) {
        if (x != null) {
          insert(bigger, x);
        }
      }
      t = bigger;
    }
    insert(t, endpoint);
    endpoints = t; // publishes the endpoint (and a grown table) to lock-free readers
    endpointCount++;
    return endpoint;
  }

  private static void insert(Endpoint[] t, Endpoint endpoint) {
    int mask = t.length - 1;
    int i = hash(endpoint.method, endpoint.endpoint) & mask;
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    t[i] = endpoint;
  }

  private static int hash(String method, String endpoint) {
    int h = method.hashCode() * 31 + endpoint.hashCode();
    return h ^ (h >>> 16);
  }

  /** One (method, endpoint) pair and the series of its status codes; never removed once added. */
  static final class Endpoint {
    private static final HttpSeries[] EMPTY = new HttpSeries[4];

    final String method;
    final String endpoint;
    /**
     * The series by {@link HttpSeries#code}: open addressing with linear probing, at most half
     * full, immutable once published (a new code publishes a copy).
     */
    private volatile HttpSeries[] codes = EMPTY;
    private int count;

    Endpoint(String method, String endpoint) {
      this.method = method;
      this.endpoint = endpoint;
    }

    /** The series indexed under this exact status code, null if none. */
    HttpSeries get(int statusCode) {
      HttpSeries[] t = codes;
      int mask = t.length - 1;
      for (int i = slot(statusCode) & mask; ; i = (i + 1) & mask) {
        HttpSeries s = t[i];
        if (s == null || s.code == statusCode) {
          return s;
        }
      }
    }

    /** The series whose status label is {@code statusLabel}, null if none. */
    HttpSeries byLabel(String statusLabel) {
      for (HttpSeries s : codes) {
        if (s != null && s.statusCode.equals(statusLabel)) {
          return s;
        }
      }
      return null;
    }

    /** Called under the table's lock: publishes a copy with {@code series} under its code. */
    void add(HttpSeries series) {
      HttpSeries[] old = codes;
      int capacity = old.length;
      while ((count + 1) * 2 > capacity) {
        capacity *= 2;
      }
      HttpSeries[] t = new HttpSeries[capacity];
      for (HttpSeries s : old) {
        if (s != null) {
          place(t, s);
        }
      }
      place(t, series);
      codes = t;
      count++;
    }

    private static void place(HttpSeries[] t, HttpSeries series) {
      int mask = t.length - 1;
      int i = slot(series.code) & mask;
      while (t[i] != null) {
        i = (i + 1) & mask;
      }
      t[i] = series;
    }

    /** Spreads codes of one class (200, 201, 204) and of different classes (200, 400, 500). */
    private static int slot(int code) {
      return code ^ (code >>> 3) ^ (code >>> 7);
    }
  }
}

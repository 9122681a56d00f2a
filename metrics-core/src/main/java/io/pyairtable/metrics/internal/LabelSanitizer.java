package io.pyairtable.metrics.internal;

/**
 * How label values are made safe before they reach a series: {@code null} becomes
 * {@value #MISSING}, values longer than the limit are cut, and a family past its series budget
 * gets {@value #OVERFLOW} in every label. Any other value is kept as it is; the exposition
 * formats escape quotes, backslashes and newlines themselves.
 *
 * <pre>{@code
 * LabelSanitizer values = new LabelSanitizer(128);
 * values.sanitize(null);          // "unknown"
 * values.sanitize("x".repeat(500)).length(); // 128
 * }</pre>
 */
public final class LabelSanitizer {

  /** The value recorded for a {@code null} label value. */
  public static final String MISSING = "unknown";

  /** The value of every label of the overflow series of a family past its series budget. */
  public static final String OVERFLOW = "_overflow";

  /** The default longest label value kept, in UTF-16 chars. */
  public static final int DEFAULT_MAX_LENGTH = 128;

  private static final String[] STATUS_CODES = new String[1000];

  static {
    for (int i = 0; i < STATUS_CODES.length; i++) {
      STATUS_CODES[i] = Integer.toString(i);
    }
  }

  private final int maxLength;

  /** A sanitizer that cuts values after {@code maxLength} chars. */
  public LabelSanitizer(int maxLength) {
    if (maxLength < 1) {
      throw new IllegalArgumentException("label value max length must be at least 1, was " + maxLength);
    }
    this.maxLength = maxLength;
  }

  /** The longest label value kept. */
  public int maxLength() {
    return maxLength;
  }

  /** The value as recorded; allocates only when a value has to be cut. */
  public String sanitize(String value) {
    if (value == null) {
      return MISSING;
    }
    if (value.length() <= maxLength) {
      return value;
    }
    int end = maxLength;
    if (Character.isHighSurrogate(value.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return value.substring(0, end);
  }

  /** A status code as a label value, without allocating for codes 0 to 999. */
  public static String statusCode(int code) {
    return code >= 0 && code < STATUS_CODES.length ? STATUS_CODES[code] : Integer.toString(code);
  }
}

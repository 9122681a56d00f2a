package io.pyairtable.metrics.http.jdk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the JDK {@code com.sun.net.httpserver} server can bound, and what it cannot. It has no
 * per-server timeouts or minimum data rate: its only limits are JVM-wide system properties, read
 * once when the first {@code HttpServer} of the JVM is created. {@link #applyDefaults()} sets the
 * ones left unset (an explicit {@code -D} always wins):
 *
 * <ul>
 *   <li>{@code sun.net.httpserver.maxReqTime} = 30 (s): a connection whose request (line,
 *       headers and body) takes longer is closed — the only defence against slow headers and
 *       bodies, which the JDK server reads on its executor threads.</li>
 *   <li>{@code sun.net.httpserver.maxRspTime} = 60 (s): a response not written within this time
 *       (a client that stops reading) is cut off.</li>
 *   <li>{@code sun.net.httpserver.idleInterval} = 30 (s): idle keep-alive connections are closed.</li>
 *   <li>{@code sun.net.httpserver.maxReqHeaders} = 200: requests with more headers are refused.</li>
 * </ul>
 *
 * <p>It cannot bound: the total number of connections, header bytes (no size limit on Java 17),
 * a minimum data rate (only the total times above), nor apply limits per server or per context.
 * Give the server an executor with several threads (the management server uses up to 16), so one
 * slow client does not hold the only thread.
 *
 * <pre>{@code
 * JdkServerLimits.applyDefaults();                     // before the first HttpServer.create(...)
 * HttpServer server = HttpServer.create(address, 0);
 * }</pre>
 */
public final class JdkServerLimits {

  private static final Logger LOG = LoggerFactory.getLogger(JdkServerLimits.class);

  /** The properties and the defaults {@link #applyDefaults()} sets. */
  public static final Map<String, String> DEFAULTS;

  static {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("sun.net.httpserver.maxReqTime", "30");
    d.put("sun.net.httpserver.maxRspTime", "60");
    d.put("sun.net.httpserver.idleInterval", "30");
    d.put("sun.net.httpserver.maxReqHeaders", "200");
    DEFAULTS = Collections.unmodifiableMap(d);
  }

  private JdkServerLimits() {}

  /**
   * Sets each of {@link #DEFAULTS} that is not already set. Effective only before the JVM's first
   * {@code HttpServer} is created (the JDK reads them once).
   *
   * @return the properties this call set
   */
  public static synchronized Map<String, String> applyDefaults() {
    Map<String, String> set = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : DEFAULTS.entrySet()) {
      if (System.getProperty(e.getKey()) == null) {
        System.setProperty(e.getKey(), e.getValue());
        set.put(e.getKey(), e.getValue());
      }
    }
    if (!set.isEmpty()) {
      LOG.info("JDK HttpServer limits set (JVM-wide, override with -D): {}", set);
    }
    return set;
  }
}

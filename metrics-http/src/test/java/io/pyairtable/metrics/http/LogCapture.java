package io.pyairtable.metrics.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.pyairtable.metrics.http.chain.AccessLog;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures every log event (root and the access logger) as the full text a JSON encoder could write. */
public final class LogCapture implements AutoCloseable {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final List<Logger> loggers = new ArrayList<>();

  public LogCapture() {
    appender.start();
    for (String name : List.of(Logger.ROOT_LOGGER_NAME, AccessLog.LOGGER)) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      logger.addAppender(appender);
      loggers.add(logger);
    }
  }

  /** Each event: logger, level, formatted message, key-value pairs, MDC, stack trace. */
  public synchronized List<String> texts() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : new ArrayList<>(appender.list)) {
      StringBuilder sb = new StringBuilder();
      sb.append(e.getLoggerName()).append(' ').append(e.getLevel()).append(' ').append(e.getFormattedMessage());
      if (e.getKeyValuePairs() != null) {
        e.getKeyValuePairs().forEach(kv -> sb.append(' ').append(kv.key).append('=').append(kv.value));
      }
      sb.append(' ').append(e.getMDCPropertyMap());
      if (e.getThrowableProxy() != null) {
        sb.append(' ').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
      out.add(sb.toString());
    }
    return out;
  }

  /** Every captured event. */
  public List<ILoggingEvent> events() {
    return new ArrayList<>(appender.list);
  }

  /** The access-log events. */
  public List<ILoggingEvent> accessEvents() {
    return new ArrayList<>(appender.list).stream()
        .filter(e -> e.getLoggerName().equals(AccessLog.LOGGER)).toList();
  }

  @Override
  public void close() {
    for (Logger l : loggers) {
      l.detachAppender(appender);
    }
    appender.stop();
  }
}

package io.pyairtable.metrics.http.jetty;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's {@link GracefulHandler} with the draining the services need: once {@link #drain} has
 * started, a request that still arrives (on a keep-alive connection) is answered {@code 503} with
 * {@code Connection: close} (written by the server's error handler, which {@link RejectionRecorder}
 * counts with {@code endpoint="unmatched"}); {@link #drain} waits
 * for the requests in flight at most the grace period and then reports, instead of throwing,
 * how many it gives up on. Installed by {@link JettyHardening}.
 *
 * <pre>{@code
 * DrainingHandler draining = new DrainingHandler();
 * server.insertHandler(draining);
 * // on stop:
 * long abandoned = draining.drain(Duration.ofSeconds(10));
 * }</pre>
 */
public final class DrainingHandler extends GracefulHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DrainingHandler.class);

  @Override
  protected void handleShutdownRejection(Request request, Response response, Callback callback) {
    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    super.handleShutdownRejection(request, response, callback);
  }

  /**
   * Starts refusing new requests and waits at most {@code grace} for those in flight.
   *
   * @return the number of requests still in flight when the grace period ended (0 when all finished)
   */
  public long drain(Duration grace) {
    return await(shutdown(), grace);
  }

  /**
   * Waits at most {@code grace} for {@code done} (the future of {@link #shutdown()}).
   *
   * @return the number of requests still in flight when the grace period ended (0 when all finished)
   */
  long await(CompletableFuture<Void> done, Duration grace) {
    try {
      done.get(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS);
      return 0;
    } catch (TimeoutException e) {
      long left = getCurrentRequestCount();
      LOG.warn("{} request(s) still in flight after the {} ms shutdown grace period; closing their connections",
          left, grace.toMillis());
      return left;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return getCurrentRequestCount();
    } catch (ExecutionException e) {
      LOG.warn("draining failed: {}", e.getCause().getClass().getSimpleName());
      return getCurrentRequestCount();
    }
  }
}

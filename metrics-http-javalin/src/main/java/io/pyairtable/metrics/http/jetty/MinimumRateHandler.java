package io.pyairtable.metrics.http.jetty;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Enforces a minimum request-body data rate at Jetty's core level, where bodies are read before
 * the application runs (Jetty applies {@code HttpConfiguration.setMinRequestDataRate} only to
 * servlet reads). After the first second of a body, a read that finds fewer bytes arrived than
 * {@code rate × elapsed} fails the body with a {@link TimeoutException}: the application's read
 * fails, the request is recorded as 408 ({@code client_timeout}) and the connection closed.
 *
 * <pre>{@code
 * server.insertHandler(new MinimumRateHandler(256)); // bytes per second
 * }</pre>
 */
public final class MinimumRateHandler extends Handler.Wrapper {

  private final long bytesPerSecond;

  public MinimumRateHandler(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Handler next = getHandler();
    if (next == null) {
      return false;
    }
    // a request without a body has nothing to watch: it goes on unwrapped
    return next.handle(bytesPerSecond > 0 && RequestBodies.mayHaveBody(request)
        ? new RateCheckedRequest(request, bytesPerSecond) : request, response, callback);
  }

  private static final class RateCheckedRequest extends Request.Wrapper {
    private final long bytesPerSecond;
    private final long start = System.nanoTime();
    private long arrived;
    private Content.Chunk failure;

    RateCheckedRequest(Request wrapped, long bytesPerSecond) {
      super(wrapped);
      this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public Content.Chunk read() {
      synchronized (this) {
        if (failure != null) {
          return failure;
        }
      }
      Content.Chunk chunk = super.read();
      if (chunk == null || chunk.isLast() || Content.Chunk.isFailure(chunk)) {
        return chunk;
      }
      synchronized (this) {
        arrived += chunk.remaining();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (millis >= 1000 && arrived < bytesPerSecond * millis / 1000) {
          chunk.release();
          failure = Content.Chunk.from(new TimeoutException("request body slower than " + bytesPerSecond + " B/s"),
              true);
          return failure;
        }
      }
      return chunk;
    }
  }
}

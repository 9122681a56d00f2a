package io.pyairtable.metrics.examples.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes server-sent events to a Javalin response: the status and {@code text/event-stream} headers
 * go out with the first event, and every event is flushed at once (on the servlet stream: Javalin's
 * {@code ctx.outputStream()} does not pass flushes on).
 *
 * <pre>{@code
 * SseWriter events = new SseWriter(ctx);
 * events.send("text", json);     // event: text\ndata: {...}\n\n
 * }</pre>
 */
final class SseWriter {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Context ctx;
  private OutputStream out;

  SseWriter(Context ctx) {
    this.ctx = ctx;
  }

  /** True once the first event (and so the 200 and the headers) went out. */
  boolean started() {
    return out != null;
  }

  /** Sends one event; a client that went away surfaces as {@link UncheckedIOException}. */
  void send(String event, JsonNode data) {
    try {
      if (out == null) {
        ctx.status(200).contentType("text/event-stream");
        ctx.header("Cache-Control", "no-cache");
        out = ctx.res().getOutputStream();
      }
      out.write(("event: " + event + "\ndata: " + MAPPER.writeValueAsString(data) + "\n\n")
          .getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("the client went away during the stream", e);
    }
  }
}

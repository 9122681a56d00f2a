package io.pyairtable.metrics.examples.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.http.servlet.ForwardingServletOutputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A response that passes every byte through and shows {@link McpMessageMeter} each outbound
 * message: an {@code application/json} body when the response finishes, or each complete event of
 * a {@code text/event-stream} as soon as its closing blank line is written. An HTTP error body
 * of the SDK's transport (status 4xx/5xx, a serialized {@code McpError} that carries the server's
 * stack trace) is held back and replaced by a plain JSON-RPC error response
 * {@code {"jsonrpc":"2.0","id":null,"error":{"code":..,"message":..}}}, so no server internals reach
 * the client. What passes is reported to a {@link Listener} (the filter's meter), so the wrapper
 * does not depend on the filter that creates it.
 *
 * <pre>{@code
 * MeteredResponse metered = new MeteredResponse(response, listener);
 * chain.doFilter(request, metered);
 * metered.finish();
 * }</pre>
 */
final class MeteredResponse extends HttpServletResponseWrapper {

  /** Receives the messages the response saw ({@link McpMessageMeter} records them). */
  interface Listener {
    /** The request's body, once the answer starts; {@code refused}: the transport answered 4xx/5xx. */
    void inbound(byte[] body, boolean refused);

    /** One whole outbound JSON payload (a message or a batch). */
    void outbound(byte[] json);

    /** Rewriting a held error body failed (contained, never thrown into the request). */
    void failed(Throwable e);
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Listener meter;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private ServletOutputStream stream;
  private PrintWriter writer;
  private boolean finished;
  private Boolean holdErrorBody;
  private byte[] inbound;

  MeteredResponse(HttpServletResponse response, Listener meter) {
    super(response);
    this.meter = meter;
  }

  /** The request's message, counted when the answer starts (its status then tells whether it was refused). */
  synchronized void expectInbound(byte[] body) {
    this.inbound = body;
  }

  private synchronized void countInbound() {
    if (inbound != null) {
      byte[] body = inbound;
      inbound = null;
      meter.inbound(body, getStatus() >= 400);
    }
  }

  @Override
  public synchronized ServletOutputStream getOutputStream() throws IOException {
    if (stream == null) {
      stream = new TapStream(super.getOutputStream());
    }
    return stream;
  }

  @Override
  public synchronized PrintWriter getWriter() throws IOException {
    if (writer == null) {
      writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8), false);
    }
    return writer;
  }

  @Override
  public void flushBuffer() throws IOException {
    countInbound();
    if (writer != null) {
      writer.flush();
    }
    super.flushBuffer();
  }

  private boolean eventStream() {
    String type = getContentType();
    return type != null && type.startsWith("text/event-stream");
  }

  /** True when this response's body is an HTTP error body to rewrite at {@link #finish()}. */
  private synchronized boolean holdsErrorBody() {
    if (holdErrorBody == null) {
      holdErrorBody = !finished && getStatus() >= 400 && !eventStream();
    }
    return holdErrorBody;
  }

  private synchronized void written(byte[] b, int off, int len) {
    if (finished) {
      return;
    }
    pending.write(b, off, len);
    if (eventStream()) {
      drainEvents();
    }
  }

  /** Records every complete SSE event in the pending bytes and keeps the incomplete rest. */
  private void drainEvents() {
    byte[] bytes = pending.toByteArray();
    int start = 0;
    for (int i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
        event(new String(bytes, start, i - start, StandardCharsets.UTF_8));
        start = i + 2;
        i++;
      }
    }
    pending.reset();
    pending.write(bytes, start, bytes.length - start);
  }

  private void event(String event) {
    StringBuilder data = null;
    for (String line : event.split("\n", -1)) {
      if (line.startsWith("data:")) {
        String value = line.substring(line.startsWith("data: ") ? 6 : 5);
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
    }
    if (data != null) {
      meter.outbound(data.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The response is complete: a JSON body is recorded now (a held error body written). Only the first call counts. */
  synchronized void finish() {
    countInbound();
    if (finished) {
      return;
    }
    if (writer != null) {
      writer.flush();
    }
    finished = true;
    if (!eventStream() && pending.size() > 0) {
      byte[] body = pending.toByteArray();
      if (Boolean.TRUE.equals(holdErrorBody)) {
        body = asJsonRpcError(body);
        try {
          ServletOutputStream out = super.getOutputStream();
          out.write(body);
          out.flush();
        } catch (IOException | RuntimeException e) {
          meter.failed(e);
        }
      }
      meter.outbound(body);
    }
    pending.reset();
  }

  /** The SDK's serialized {@code McpError} rewritten as a JSON-RPC error response; other bodies unchanged. */
  static byte[] asJsonRpcError(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      JsonNode error = node == null ? null : node.get("jsonRpcError");
      if (error == null || !error.isObject()) {
        return body;
      }
      ObjectNode out = MAPPER.createObjectNode();
      out.put("jsonrpc", "2.0");
      out.putNull("id");
      ObjectNode e = out.putObject("error");
      e.put("code", error.path("code").asInt(-32603));
      e.put("message", error.path("message").asText("error"));
      return MAPPER.writeValueAsBytes(out);
    } catch (IOException e) {
      return body;
    }
  }

  /** Writes through to the real stream and shows the bytes to the meter. */
  private final class TapStream extends ForwardingServletOutputStream {

    TapStream(ServletOutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      countInbound();
      if (!holdsErrorBody()) {
        out.write(b, off, len);
      }
      written(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      countInbound();
      if (!holdsErrorBody()) {
        out.flush();
      }
    }
  }
}

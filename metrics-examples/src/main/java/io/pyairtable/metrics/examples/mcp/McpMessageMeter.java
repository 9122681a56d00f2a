package io.pyairtable.metrics.examples.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyairtable.metrics.McpServerMetrics;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.chain.RequestScope;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * Counts every MCP JSON-RPC message crossing the Streamable HTTP transport, at the servlet layer in
 * front of the SDK's transport servlet, so the counts are exact: each inbound POST body (one
 * message, or each element of a batch) and each outbound message, whether written as an
 * {@code application/json} body or as one {@code data:} event of a {@code text/event-stream}
 * (the POST response streams and the GET listening stream alike). Records
 * {@code mcp_protocol_messages_total{message_type,direction,status}} and
 * {@code mcp_protocol_message_size_bytes{message_type,direction}} with the message's own JSON size
 * in bytes (SSE framing excluded).
 *
 * <p>The message type is the JSON-RPC method for requests and notifications (a known MCP method;
 * any other becomes {@code other}, so clients cannot inflate the series count) and
 * {@code response} for responses; the transport's own HTTP error bodies (400/404 with an
 * {@code McpError} outside the JSON-RPC envelope) count as {@code transport_error}. The status is
 * {@code success}, {@code error} for a response carrying an error or a transport error, or
 * {@code invalid} for a body that is not JSON-RPC. An inbound message is counted when the SDK's
 * answer starts (before any byte of it leaves), so a message the transport refuses before the SDK
 * handles it (404 unknown session, 400 missing session, ...) is counted with status {@code error},
 * never {@code success}.
 *
 * <p>Bodies the SDK cannot take are answered here, before the SDK sees them, with a JSON-RPC error
 * of a fixed message (never an exception's, never the body): a body over {@link #MAX_BODY_BYTES}
 * is 413 {@code -32600}, one that is not JSON is 400 {@code -32700 Parse error}, and JSON that is
 * not a JSON-RPC message ({@code null}, a number, an object without {@code jsonrpc}) is 400
 * {@code -32600 Invalid Request}. Those answers are written as ordinary bodies, so the HTTP
 * metrics record their real size, and count as outbound {@code response} messages with status
 * {@code error}.
 *
 * <pre>{@code
 * handler.addFilter(new FilterHolder(new McpMessageMeter(metrics, "/mcp")), "/mcp", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 */
public final class McpMessageMeter implements Filter {

  /** Direction label of messages the server received. */
  public static final String INBOUND = "inbound";
  /** Direction label of messages the server sent. */
  public static final String OUTBOUND = "outbound";
  /** The biggest request body read (larger ones are refused with 413). */
  public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  static final Set<String> KNOWN_METHODS = Set.of("initialize", "ping", "tools/list", "tools/call",
      "resources/list", "resources/read", "resources/templates/list", "resources/subscribe",
      "resources/unsubscribe", "prompts/list", "prompts/get", "logging/setLevel", "completion/complete",
      "sampling/createMessage", "roots/list", "elicitation/create", "notifications/initialized",
      "notifications/cancelled", "notifications/progress", "notifications/message",
      "notifications/resources/updated", "notifications/resources/list_changed",
      "notifications/tools/list_changed", "notifications/prompts/list_changed",
      "notifications/roots/list_changed");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final MetricsCollector collector;
  private final McpServerMetrics mcp;
  private final String routeTemplate;
  private final MeteredResponse.Listener listener = new MeteredResponse.Listener() {
    @Override
    public void inbound(byte[] body, boolean refused) {
      recordInbound(body, refused);
    }

    @Override
    public void outbound(byte[] json) {
      record(json, OUTBOUND);
    }

    @Override
    public void failed(Throwable e) {
      McpMessageMeter.this.failed(e);
    }
  };

  /** A meter recording into {@code collector}; {@code routeTemplate} labels the HTTP metrics of the endpoint. */
  public McpMessageMeter(MetricsCollector collector, String routeTemplate) {
    this.collector = collector;
    this.mcp = collector.mcpServer();
    this.routeTemplate = routeTemplate;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
      chain.doFilter(req, res);
      return;
    }
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    request.setAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE, routeTemplate);
    HttpServletRequest forwarded = request;
    if ("POST".equals(request.getMethod())) {
      byte[] body = readBody(request.getInputStream());
      if (body == null) {
        refuse(response, 413, -32600, "Request too large");
        return;
      }
      int problem = jsonRpcProblem(body);
      if (problem != 0) {
        recordInbound(body, false);
        refuse(response, 400, problem, problem == PARSE_ERROR ? "Parse error" : "Invalid Request");
        return;
      }
      forwarded = new BufferedBodyRequest(request, body);
    }
    MeteredResponse metered = new MeteredResponse(response, listener);
    if (forwarded != request) {
      // counted once the SDK's answer shows whether it took the message: refused (4xx/5xx) is status "error"
      metered.expectInbound(((BufferedBodyRequest) forwarded).body());
    }
    try {
      chain.doFilter(forwarded, metered);
    } finally {
      if (request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new AsyncListener() {
          @Override
          public void onComplete(AsyncEvent event) {
            metered.finish();
          }

          @Override
          public void onTimeout(AsyncEvent event) {
            metered.finish();
          }

          @Override
          public void onError(AsyncEvent event) {
            metered.finish();
          }

          @Override
          public void onStartAsync(AsyncEvent event) {
            // the listener stays registered
          }
        });
      } else {
        metered.finish();
      }
    }
  }

  private static final int PARSE_ERROR = -32700;
  private static final int INVALID_REQUEST = -32600;

  /** 0 for a JSON-RPC message or batch of them; else the JSON-RPC error code to answer. */
  static int jsonRpcProblem(byte[] body) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (IOException e) {
      return PARSE_ERROR;
    }
    if (node == null || node.isMissingNode()) {
      return PARSE_ERROR;
    }
    if (node.isArray()) {
      if (node.isEmpty()) {
        return INVALID_REQUEST;
      }
      for (JsonNode element : node) {
        if (!isMessage(element)) {
          return INVALID_REQUEST;
        }
      }
      return 0;
    }
    return isMessage(node) ? 0 : INVALID_REQUEST;
  }

  private static boolean isMessage(JsonNode node) {
    return node.isObject() && "2.0".equals(node.path("jsonrpc").asText(null))
        && (node.hasNonNull("method") || node.has("result") || node.has("error"));
  }

  /** Answers a JSON-RPC error ({@code id} null) as an ordinary body, counted as an outbound response. */
  private void refuse(HttpServletResponse response, int status, int code, String message) throws IOException {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("jsonrpc", "2.0");
    out.putNull("id");
    out.putObject("error").put("code", code).put("message", message);
    byte[] bytes = MAPPER.writeValueAsBytes(out);
    record(bytes, OUTBOUND);   // before the answer leaves: a client that scrapes right after sees it
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    return body.length > MAX_BODY_BYTES ? null : body;
  }

  void failed(Throwable e) {
    collector.containFailure("mcp_error_body", e);
  }

  /** Records an inbound body; {@code refused}: the transport refused it (unknown session, ...), so its status is error. */
  void recordInbound(byte[] body, boolean refused) {
    record(body, INBOUND, refused);
  }

  /** Records one whole JSON payload (a message or a batch) in {@code direction}. */
  void record(byte[] json, String direction) {
    record(json, direction, false);
  }

  private void record(byte[] json, String direction, boolean refused) {
    try {
      if (json.length == 0) {
        return;
      }
      JsonNode node;
      try {
        node = MAPPER.readTree(json);
      } catch (IOException e) {
        node = null;
      }
      if (node != null && node.isArray()) {
        for (JsonNode element : node) {
          recordMessage(element, MAPPER.writeValueAsBytes(element).length, direction, refused);
        }
      } else {
        recordMessage(node, json.length, direction, refused);
      }
    } catch (IOException | RuntimeException e) {
      collector.containFailure("mcp_protocol_message", e);
    }
  }

  private void recordMessage(JsonNode message, long size, String direction, boolean refused) {
    if (message == null || !message.isObject() || !"2.0".equals(message.path("jsonrpc").asText())) {
      if (message != null && (message.has("jsonRpcError") || message.has("code") && message.has("message"))) {
        // an HTTP error body outside the JSON-RPC envelope (MeteredResponse rewrites the SDK's own)
        mcp.recordProtocolMessage("transport_error", direction, "error", size);
      } else {
        mcp.recordProtocolMessage("invalid", direction, "invalid", size);
      }
      return;
    }
    if (message.hasNonNull("method")) {
      String method = message.get("method").asText();
      mcp.recordProtocolMessage(KNOWN_METHODS.contains(method) ? method : "other", direction,
          refused ? "error" : "success", size);
    } else {
      mcp.recordProtocolMessage("response", direction, refused || message.has("error") ? "error" : "success", size);
    }
  }
}

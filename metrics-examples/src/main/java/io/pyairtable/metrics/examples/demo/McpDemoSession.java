package io.pyairtable.metrics.examples.demo;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.pyairtable.metrics.examples.gateway.ApiGatewayService;
import io.pyairtable.metrics.examples.gateway.ApiKeyAuthenticator;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One MCP session of the demo traffic, with the official SDK's client over Streamable HTTP through
 * the API gateway ({@code /api/mcp/mcp}, API key in the request headers): initialize, list the
 * tools, call {@code list_files}, {@code read_file}, {@code run_command} and
 * {@code airtable_list_records} (and, now and then, a call the server refuses: a path outside the
 * sandbox), then close, which ends the session.
 *
 * <pre>{@code
 * new McpDemoSession(gatewayUrl, apiKey, "appDemoBaseAlpha1", "Customers").runSession();
 * }</pre>
 */
public final class McpDemoSession implements DemoTraffic.McpSessions {

  /** The MCP endpoint behind the gateway's {@code /api/mcp/**} route. */
  public static final String ENDPOINT = "/api/mcp/mcp";

  private final String gatewayUrl;
  private final String apiKey;
  private final String baseId;
  private final String table;
  private final Random random = new Random(7);

  public McpDemoSession(String gatewayUrl, String apiKey, String baseId, String table) {
    this.gatewayUrl = gatewayUrl;
    this.apiKey = apiKey;
    this.baseId = baseId;
    this.table = table;
  }

  @Override
  public void runSession() {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(gatewayUrl)
        .endpoint(ENDPOINT)
        .requestBuilder(HttpRequest.newBuilder().header(ApiKeyAuthenticator.API_KEY_HEADER, apiKey)
            .header(ApiGatewayService.SOURCE_HEADER, "demo-traffic"))
        .connectTimeout(Duration.ofSeconds(3))
        .build();
    McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20))
        .initializationTimeout(Duration.ofSeconds(20))
        .clientInfo(new McpSchema.Implementation("pyairtable-demo-traffic", "0.1.0")).build();
    try {
      client.initialize();
      client.listTools();
      call(client, "list_files", Map.of("path", "data"));
      call(client, "read_file", Map.of("path", random.nextBoolean() ? "notes/todo.txt" : "README.md"));
      call(client, "run_command", Map.of("command", "wc", "args", List.of("-l", "data/customers.csv")));
      call(client, "airtable_list_records", Map.of("baseId", baseId, "table", table, "pageSize", 5));
      if (random.nextInt(3) == 0) {
        call(client, "read_file", Map.of("path", "../../etc/passwd"));
      }
    } finally {
      client.closeGracefully();
    }
  }

  private static void call(McpSyncClient client, String tool, Map<String, Object> arguments) {
    client.callTool(McpSchema.CallToolRequest.builder().name(tool).arguments(arguments).build());
  }
}

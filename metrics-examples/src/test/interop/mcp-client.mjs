// The MCP TypeScript SDK's Client over StreamableHTTPClientTransport against an MCP URL (the server,
// or the API gateway's /api/mcp/mcp). Usage: node mcp-client.mjs <url> <idleMillis> [apiKey]
// Connects (initialize, notifications/initialized, the background GET stream), lists the tools, calls
// list_files, stays idle for idleMillis, calls list_files again, ends the session (DELETE) and closes.
// Prints one JSON line: what it saw, including every transport error.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, idle, apiKey] = process.argv.slice(2);
const errors = [];
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: apiKey ? { headers: { 'X-API-Key': apiKey } } : undefined,
});
const client = new Client({ name: 'pyairtable-interop', version: '1.0.0' });
client.onerror = (e) => errors.push(String(e && e.message ? e.message : e));
const out = { errors };
try {
  await client.connect(transport);
  out.sessionId = transport.sessionId ? 'present' : 'absent';
  out.server = client.getServerVersion()?.name;
  out.tools = (await client.listTools()).tools.map((t) => t.name).sort();
  const first = await client.callTool({ name: 'list_files', arguments: { path: '.' } });
  out.firstCallError = Boolean(first.isError);
  await new Promise((resolve) => setTimeout(resolve, Number(idle)));
  const second = await client.callTool({ name: 'list_files', arguments: { path: '.' } });
  out.secondCallError = Boolean(second.isError);
  out.listing = second.content.map((c) => c.text).join('\n').includes('README.md');
  await transport.terminateSession();
  out.terminated = transport.sessionId === undefined;
} catch (e) {
  out.failure = String(e && e.message ? e.message : e);
} finally {
  await client.close();
}
console.log(JSON.stringify(out));

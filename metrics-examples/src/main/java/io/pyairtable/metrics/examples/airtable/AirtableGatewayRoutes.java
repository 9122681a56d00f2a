package io.pyairtable.metrics.examples.airtable;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.pyairtable.metrics.examples.airtable.AirtableRequestQueue.DroppedException;
import io.pyairtable.metrics.examples.server.ClientPresence;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The HTTP API of the Airtable gateway, on Javalin. Record routes answer Airtable's own JSON
 * (records, offsets, error bodies); the gateway's own refusals use Airtable's error shape too
 * ({@code {"error":{"type":...,"message":...}}}), with a fixed message per type, never an exception's:
 * 404 {@code NOT_FOUND} for an unknown path, 405 {@code METHOD_NOT_ALLOWED} (with {@code Allow}) for
 * a known path with another method, 422, 502, 503 and 504 for the refusals below; anything
 * unexpected is the turnkey service's 500 in the same shape ({@code {"error":{"type":"internal_error",...}}},
 * counted in {@code errors_total}).
 *
 * <p>A request's deadline is {@value #TIMEOUT_HEADER} milliseconds from its arrival when the
 * client sends that header (the API gateway sends its own backend timeout), capped by the
 * gateway's {@code maxQueueWait}; a call whose turn in the request queue would come later is
 * answered 503 with {@code Retry-After} instead of being sent.
 *
 * <pre>
 * GET    /bases/{baseId}/tables/{table}/records            one page (Airtable's query: pageSize, offset, view, ...)
 * GET    /bases/{baseId}/tables/{table}/records?all=true   every page, following offset
 * GET    /bases/{baseId}/tables/{table}/records/{recordId}
 * POST   /bases/{baseId}/tables/{table}/records            {"fields":{...}} or {"records":[...]}
 * PATCH  /bases/{baseId}/tables/{table}/records/{recordId} {"fields":{...}}
 * DELETE /bases/{baseId}/tables/{table}/records/{recordId}
 * POST   /webhooks/airtable                                Airtable webhook notifications
 * GET    /status                                           upstream, breaker state, limiter and cache modes
 * </pre>
 *
 * <pre>{@code
 * Javalin.create(c -> new AirtableGatewayRoutes(records, webhooks, status).install(c.routes));
 * }</pre>
 */
public final class AirtableGatewayRoutes {

  /** The route templates, as they appear in the {@code endpoint} label. */
  public static final String RECORDS = "/bases/{baseId}/tables/{table}/records";
  public static final String RECORD = "/bases/{baseId}/tables/{table}/records/{recordId}";
  public static final String WEBHOOK = "/webhooks/airtable";
  public static final String STATUS = "/status";
  /** The request header a client states how long it waits for the answer in, in milliseconds. */
  public static final String TIMEOUT_HEADER = "X-Request-Timeout-Ms";

  /** Answers the status body. */
  @FunctionalInterface
  public interface StatusReport {
    Map<String, Object> report();
  }

  @FunctionalInterface
  private interface RecordsCall {
    AirtableResponse call(String baseId, String table, long deadlineNanos) throws InterruptedException;
  }

  private final AirtableRecords records;
  private final AirtableWebhookReceiver webhooks;
  private final StatusReport status;
  private final Duration maxQueueWait;

  public AirtableGatewayRoutes(AirtableRecords records, AirtableWebhookReceiver webhooks, StatusReport status) {
    this(records, webhooks, status, AirtableRecords.DEFAULT_WAIT);
  }

  /** As above; no request waits longer than {@code maxQueueWait} for its turn. */
  public AirtableGatewayRoutes(AirtableRecords records, AirtableWebhookReceiver webhooks, StatusReport status,
      Duration maxQueueWait) {
    this.records = records;
    this.webhooks = webhooks;
    this.status = status;
    this.maxQueueWait = maxQueueWait;
  }

  /** Adds the routes to a Javalin configuration. */
  public void install(RoutesConfig routes) {
    routes.get(RECORDS, ctx -> handle(ctx, (base, table, deadline) -> "true".equals(ctx.queryParam("all"))
        ? records.listAll(base, table, queryWithout(ctx, "all"), listAllDeadline(ctx), ClientPresence.of(ctx))
        : records.list(base, table, queryWithout(ctx, "all"), deadline)));
    routes.get(RECORD, ctx -> handle(ctx, (base, table, deadline) -> records.get(base, table, recordId(ctx), deadline)));
    routes.post(RECORDS, ctx -> handle(ctx, (base, table, deadline) -> records.create(base, table, jsonBody(ctx),
        deadline)));
    routes.patch(RECORD, ctx -> handle(ctx, (base, table, deadline) -> records.update(base, table, recordId(ctx),
        jsonBody(ctx), deadline)));
    routes.delete(RECORD, ctx -> handle(ctx, (base, table, deadline) -> records.delete(base, table, recordId(ctx),
        deadline)));
    routes.post(WEBHOOK, ctx -> {
      AirtableWebhookReceiver.Outcome o = webhooks.receive(ctx.bodyAsBytes(), ctx.header(AirtableWebhookReceiver.MAC_HEADER));
      ctx.status(o.httpStatus()).json(Map.of("status", o.status(), "events", o.eventTypes()));
    });
    routes.get(STATUS, ctx -> ctx.json(status.report()));
    methodNotAllowed(routes, RECORDS, List.of(HandlerType.GET, HandlerType.POST));
    methodNotAllowed(routes, RECORD, List.of(HandlerType.GET, HandlerType.PATCH, HandlerType.DELETE));
    methodNotAllowed(routes, WEBHOOK, List.of(HandlerType.POST));
    methodNotAllowed(routes, STATUS, List.of(HandlerType.GET));
    routes.error(404, "*", ctx -> {
      String type = ctx.res().getContentType();
      if (!ctx.res().isCommitted() && (type == null || !type.startsWith("application/json"))) {
        error(ctx, 404, "NOT_FOUND", "no such endpoint");
      }
    });
  }

  /** Every other method on {@code path} answers 405 in Airtable's error shape, with {@code Allow}. */
  private static void methodNotAllowed(RoutesConfig routes, String path, List<HandlerType> allowed) {
    String allow = allowed.stream().map(HandlerType::name).collect(Collectors.joining(", "));
    for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
        HandlerType.DELETE)) {
      if (!allowed.contains(method)) {
        routes.addHttpHandler(method, path, ctx -> {
          ctx.header("Allow", allow);
          error(ctx, 405, "METHOD_NOT_ALLOWED", ctx.method().name() + " is not supported here; use " + allow);
        });
      }
    }
  }

  /**
   * The deadline of an {@code all=true} walk: the gateway's list-all deadline, or the client's
   * {@value #TIMEOUT_HEADER} when it is shorter.
   */
  private long listAllDeadline(Context ctx) {
    long millis = records.listAllDeadline().toMillis();
    String header = ctx.header(TIMEOUT_HEADER);
    if (header != null) {
      try {
        long theirs = Long.parseLong(header.trim());
        if (theirs >= 0 && theirs < millis) {
          millis = theirs;
        }
      } catch (NumberFormatException ignored) {
        // not a number: the gateway's own deadline applies
      }
    }
    return System.nanoTime() + Duration.ofMillis(millis).toNanos();
  }

  private void handle(Context ctx, RecordsCall call) {
    long arrival = System.nanoTime();
    String base = ctx.pathParam("baseId");
    String table = ctx.pathParam("table");
    if (!AirtableIds.isBaseId(base)) {
      error(ctx, 404, "NOT_FOUND", "not an Airtable base id: app followed by 14 letters or digits");
      return;
    }
    if (!AirtableIds.isTableIdOrName(table)) {
      error(ctx, 422, "INVALID_REQUEST_UNKNOWN", "not a table id or name");
      return;
    }
    try {
      AirtableResponse r = call.call(base, table, arrival + timeoutOf(ctx).toNanos());
      ctx.status(r.status()).contentType("application/json").header("X-Cache", r.fromCache() ? "HIT" : "MISS")
          .result(r.body());
    } catch (AirtableRefusal e) {
      error(ctx, e.status(), e.type(), e.getMessage());
    } catch (CallNotPermittedException e) {
      ctx.header("Retry-After", "5");
      error(ctx, 503, "CIRCUIT_OPEN", "Airtable is failing; the gateway's circuit breaker is open");
    } catch (DroppedException e) {
      ctx.header("Retry-After", "1");
      switch (e.reason()) {
        case AirtableRequestQueue.QUEUE_FULL -> error(ctx, 503, "QUEUE_FULL", "too many requests wait for this base");
        case AirtableRequestQueue.SHUTDOWN -> error(ctx, 503, "SHUTTING_DOWN", "the gateway is shutting down");
        default -> error(ctx, 503, "DEADLINE_EXCEEDED",
            "no Airtable rate-limit slot before the request's deadline; retry later");
      }
    } catch (AirtableUpstreamException e) {
      if (e.status() == 0) {
        error(ctx, 504, "UPSTREAM_ERROR", "Airtable did not answer");
      } else {
        error(ctx, 502, "UPSTREAM_ERROR", "Airtable answered with an error");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(ctx, 503, "SHUTTING_DOWN", "the gateway is shutting down");
    }
  }

  /** The client's {@value #TIMEOUT_HEADER}, capped by {@code maxQueueWait}; the cap when absent or invalid. */
  private Duration timeoutOf(Context ctx) {
    String header = ctx.header(TIMEOUT_HEADER);
    if (header != null) {
      try {
        long millis = Long.parseLong(header.trim());
        if (millis >= 0 && millis < maxQueueWait.toMillis()) {
          return Duration.ofMillis(millis);
        }
      } catch (NumberFormatException ignored) {
        // not a number: the gateway's own cap applies
      }
    }
    return maxQueueWait;
  }

  private static String recordId(Context ctx) {
    String id = ctx.pathParam("recordId");
    if (!AirtableIds.isRecordId(id)) {
      throw new AirtableRefusal(422, "INVALID_REQUEST_UNKNOWN", "not an Airtable record id: rec followed by 14 letters or digits");
    }
    return id;
  }

  private static String jsonBody(Context ctx) {
    String body = ctx.body();
    if (body.isBlank() || !body.trim().startsWith("{")) {
      throw new AirtableRefusal(422, "INVALID_REQUEST_UNKNOWN", "the body must be a JSON object");
    }
    return body;
  }

  private static String queryWithout(Context ctx, String param) {
    String q = ctx.queryString();
    if (q == null || q.isEmpty()) {
      return "";
    }
    return Arrays.stream(q.split("&")).filter(p -> !p.equals(param) && !p.startsWith(param + "="))
        .collect(Collectors.joining("&"));
  }

  private static void error(Context ctx, int status, String type, String message) {
    ctx.status(status).json(Map.of("error", Map.of("type", type, "message", message)));
  }
}

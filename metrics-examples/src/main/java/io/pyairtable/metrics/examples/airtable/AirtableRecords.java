package io.pyairtable.metrics.examples.airtable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.integrations.ratelimit.AirtableRateLimiter;
import io.pyairtable.metrics.integrations.cache.AirtableResponseCache;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The Airtable gateway's record operations: list (one page, or every page following Airtable's
 * {@code offset}), get, create, update and delete. A read is answered from the response cache when
 * it can be; otherwise, and for every write, the call goes through the circuit breaker (open: the
 * call is refused before it queues), waits in the {@link AirtableRequestQueue} for its rate-limit
 * slot, and is sent by the {@link AirtableClient}. Airtable's answer is fed back to the rate limiter
 * (a 429 starts its cool-down), successful reads are cached, and a successful write invalidates
 * the cached reads of its table. Each call sent also moves the monthly quota gauge
 * ({@code airtable_api_quota_usage{quota_type="monthly_calls"}}). Bases and tables are label values
 * (and have their own queue lane) only once Airtable confirmed them ({@link AirtableLabels}); until
 * then they share the lane and the labels {@code unknown}. An {@code all=true} listing is bounded
 * by a page limit, a deadline, a repeated offset and the caller leaving.
 *
 * <p>Identical reads that miss the cache at the same time are coalesced into one Airtable call
 * (a map of the calls in flight; the first caller sends, the others wait
 * for its answer), so a cold or unreachable cache turns N identical requests into one upstream
 * call. Every call carries its client's deadline ({@code deadlineNanos}, on
 * {@link System#nanoTime()}'s clock) into the {@link AirtableRequestQueue}, which drops it when
 * its turn would come too late; the methods without a deadline allow {@link #DEFAULT_WAIT}.
 *
 * <pre>{@code
 * AirtableRecords records = new AirtableRecords(client, queue, breaker, limit, cache, metrics, 100_000);
 * AirtableResponse page = records.list("appAbCdEfGhIjKlMn", "Tasks", "pageSize=20");
 * AirtableResponse created = records.create("appAbCdEfGhIjKlMn", "Tasks", "{\"fields\":{\"Name\":\"x\"}}");
 * }</pre>
 */
public final class AirtableRecords {

  /** Airtable's largest page. */
  public static final int MAX_PAGE_SIZE = 100;
  /** How long a call without a deadline may wait for its turn. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
  /** The most pages an {@code all=true} listing follows by default (20,000 records at 100 a page). */
  public static final int DEFAULT_LIST_ALL_MAX_PAGES = 200;
  /** How long an {@code all=true} listing may take by default. */
  public static final Duration DEFAULT_LIST_ALL_DEADLINE = Duration.ofSeconds(60);

  private final ObjectMapper json = new ObjectMapper();
  private final AirtableClient client;
  private final AirtableRequestQueue queue;
  private final CircuitBreaker breaker;
  private final AirtableRateLimiter limiter;
  private final AirtableResponseCache cache;
  private final MetricsCollector metrics;
  private final long monthlyCallLimit;
  // A plain map, not a Caffeine AsyncCache: the cache would log every failed upstream read with a stack trace.
  private final ConcurrentMap<AirtableCall, CompletableFuture<AirtableResponse>> inFlight = new ConcurrentHashMap<>();
  private final AirtableLabels labels;
  private final int listAllMaxPages;
  private final Duration listAllDeadline;
  private final Object monthLock = new Object();
  private YearMonth month = YearMonth.now(ZoneOffset.UTC);
  private long callsThisMonth;

  public AirtableRecords(AirtableClient client, AirtableRequestQueue queue, CircuitBreaker breaker,
      AirtableRateLimiter limiter, AirtableResponseCache cache, MetricsCollector metrics, long monthlyCallLimit) {
    this(client, queue, breaker, limiter, cache, metrics, monthlyCallLimit, new AirtableLabels(),
        DEFAULT_LIST_ALL_MAX_PAGES, DEFAULT_LIST_ALL_DEADLINE);
  }

  /**
   * @param labels the bases and tables Airtable confirmed (the same instance the client confirms them in):
   *     calls to an unconfirmed base queue, are limited and are labelled as base {@code unknown}
   * @param listAllMaxPages the most pages one {@code all=true} listing follows
   * @param listAllDeadline how long one {@code all=true} listing may take, queueing included
   */
  public AirtableRecords(AirtableClient client, AirtableRequestQueue queue, CircuitBreaker breaker,
      AirtableRateLimiter limiter, AirtableResponseCache cache, MetricsCollector metrics, long monthlyCallLimit,
      AirtableLabels labels, int listAllMaxPages, Duration listAllDeadline) {
    this.labels = labels;
    if (listAllMaxPages < 1) {
      throw new IllegalArgumentException("listAllMaxPages must be positive, was " + listAllMaxPages);
    }
    this.listAllMaxPages = listAllMaxPages;
    this.listAllDeadline = listAllDeadline;
    this.client = client;
    this.queue = queue;
    this.breaker = breaker;
    this.limiter = limiter;
    this.cache = cache;
    this.metrics = metrics;
    if (monthlyCallLimit < 1) {
      throw new IllegalArgumentException("monthlyCallLimit must be positive, was " + monthlyCallLimit);
    }
    this.monthlyCallLimit = monthlyCallLimit;
  }

  /** One page of records; {@code query} is Airtable's (pageSize, offset, view, filterByFormula, ...). */
  public AirtableResponse list(String baseId, String table, String query) throws InterruptedException {
    return list(baseId, table, query, defaultDeadline());
  }

  /** One page of records, given up when its turn in the queue would come after {@code deadlineNanos}. */
  public AirtableResponse list(String baseId, String table, String query, long deadlineNanos)
      throws InterruptedException {
    return read(AirtableCall.list(baseId, table, query), deadlineNanos);
  }

  /** How long one {@code all=true} listing may take. */
  public Duration listAllDeadline() {
    return listAllDeadline;
  }

  /** {@link #listAll(String, String, String, long, BooleanSupplier)} within the list-all deadline, for a caller that stays. */
  public AirtableResponse listAll(String baseId, String table, String query) throws InterruptedException {
    return listAll(baseId, table, query, System.nanoTime() + listAllDeadline.toNanos(), () -> false);
  }

  /**
   * Every record of the table from the caller's {@code offset} on: follows Airtable's
   * {@code offset} page by page (each page one queued, rate-limited call; the followed offset
   * replaces the caller's) and answers {@code {"records":[...],"pages":n}}; stops at the first
   * page that is not a 2xx and answers that page.
   *
   * @param deadlineNanos when the walk must be over ({@link System#nanoTime()}'s clock)
   * @param clientGone asked before each page: true stops the walk (no further upstream call)
   * @throws AirtableRefusal 502 {@code PAGINATION_LOOP} when Airtable hands back an offset it gave
   *     before, 422 {@code LIST_ALL_TOO_MANY_PAGES} past the page limit, 504
   *     {@code LIST_ALL_TIMEOUT} past the deadline, 499 {@code CLIENT_GONE} when the caller left
   */
  public AirtableResponse listAll(String baseId, String table, String query, long deadlineNanos,
      BooleanSupplier clientGone) throws InterruptedException {
    ArrayNode all = json.createArrayNode();
    Set<String> seen = new HashSet<>();
    String offset = null;
    int pages = 0;
    do {
      if (clientGone.getAsBoolean()) {
        throw new AirtableRefusal(499, "CLIENT_GONE", "the client closed the request");
      }
      if (pages == listAllMaxPages) {
        throw new AirtableRefusal(422, "LIST_ALL_TOO_MANY_PAGES", "the table has more than " + listAllMaxPages
            + " pages: page through it with offset instead of all=true");
      }
      if (System.nanoTime() - deadlineNanos > 0) {
        throw new AirtableRefusal(504, "LIST_ALL_TIMEOUT",
            "listing every page took too long: page through it with offset instead of all=true");
      }
      AirtableResponse page = list(baseId, table, pages == 0 ? query : withOffset(query, offset), deadlineNanos);
      if (!page.isSuccess()) {
        return page;
      }
      JsonNode body = parse(page.body());
      body.path("records").forEach(all::add);
      offset = body.hasNonNull("offset") ? body.get("offset").asText() : null;
      pages++;
      if (offset != null && !seen.add(offset)) {
        throw new AirtableRefusal(502, "PAGINATION_LOOP", "Airtable returned an offset it had returned before");
      }
    } while (offset != null);
    ObjectNode result = json.createObjectNode();
    result.set("records", all);
    result.put("pages", pages);
    return new AirtableResponse(200, result.toString(), false);
  }

  /** One record. */
  public AirtableResponse get(String baseId, String table, String recordId) throws InterruptedException {
    return get(baseId, table, recordId, defaultDeadline());
  }

  /** One record, within {@code deadlineNanos}. */
  public AirtableResponse get(String baseId, String table, String recordId, long deadlineNanos)
      throws InterruptedException {
    return read(AirtableCall.get(baseId, table, recordId), deadlineNanos);
  }

  /** Creates one record ({@code {"fields":{...}}}) or several ({@code {"records":[...]}}). */
  public AirtableResponse create(String baseId, String table, String body) throws InterruptedException {
    return create(baseId, table, body, defaultDeadline());
  }

  /** Creates records within {@code deadlineNanos}. */
  public AirtableResponse create(String baseId, String table, String body, long deadlineNanos)
      throws InterruptedException {
    return write(AirtableCall.create(baseId, table, body), deadlineNanos);
  }

  /** Updates the given fields of one record. */
  public AirtableResponse update(String baseId, String table, String recordId, String body)
      throws InterruptedException {
    return update(baseId, table, recordId, body, defaultDeadline());
  }

  /** Updates the given fields of one record within {@code deadlineNanos}. */
  public AirtableResponse update(String baseId, String table, String recordId, String body, long deadlineNanos)
      throws InterruptedException {
    return write(AirtableCall.update(baseId, table, recordId, body), deadlineNanos);
  }

  /** Deletes one record. */
  public AirtableResponse delete(String baseId, String table, String recordId) throws InterruptedException {
    return delete(baseId, table, recordId, defaultDeadline());
  }

  /** Deletes one record within {@code deadlineNanos}. */
  public AirtableResponse delete(String baseId, String table, String recordId, long deadlineNanos)
      throws InterruptedException {
    return write(AirtableCall.delete(baseId, table, recordId), deadlineNanos);
  }

  private static long defaultDeadline() {
    return System.nanoTime() + DEFAULT_WAIT.toNanos();
  }

  private AirtableResponse read(AirtableCall call, long deadlineNanos) throws InterruptedException {
    String key = cacheKey(call);
    // an unconfirmed table has never been answered 2xx, so nothing of it is cached: the miss is labelled unknown
    Optional<String> hit = cache.get(labels.base(call.baseId()), labels.table(call.baseId(), call.table()), key);
    if (hit.isPresent()) {
      return new AirtableResponse(200, hit.get(), true);
    }
    CompletableFuture<AirtableResponse> mine = new CompletableFuture<>();
    CompletableFuture<AirtableResponse> shared = inFlight.putIfAbsent(call, mine);
    if (shared != null) {
      return await(shared, deadlineNanos);
    }
    try {
      AirtableResponse response = send(call, deadlineNanos);
      if (response.isSuccess() && labels.isConfirmed(call.baseId(), call.table())) {
        cache.put(call.baseId(), call.table(), key, response.body());
      }
      mine.complete(response);
      return response;
    } catch (InterruptedException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(call, mine);
    }
  }

  /** The answer of an identical read already in flight, waited for until {@code deadlineNanos}. */
  private AirtableResponse await(CompletableFuture<AirtableResponse> shared, long deadlineNanos)
      throws InterruptedException {
    try {
      return shared.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw queue.drop(AirtableRequestQueue.DEADLINE);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof InterruptedException) {
        throw queue.drop(AirtableRequestQueue.SHUTDOWN);
      }
      throw new AirtableUpstreamException(0, "the shared read failed", e.getCause());
    }
  }

  private AirtableResponse write(AirtableCall call, long deadlineNanos) throws InterruptedException {
    AirtableResponse response = send(call, deadlineNanos);
    if (response.isSuccess() && labels.isConfirmed(call.baseId(), call.table())) {
      cache.invalidate(call.baseId(), call.table());
    }
    return response;
  }

  /**
   * Breaker first (an open breaker refuses before the call takes a rate-limit slot), then the
   * queue, then the call; 5xx and no-answer are breaker failures, everything else a success.
   *
   * @throws CallNotPermittedException while the breaker is open
   * @throws AirtableUpstreamException on a 5xx or no answer
   */
  private AirtableResponse send(AirtableCall call, long deadlineNanos) throws InterruptedException {
    // bases Airtable has not confirmed share one lane (and its slots, 5 per second): random ids cannot add lanes or series;
    // a base's calls share its own slots whichever lane they wait in (the queue counts them by base id)
    String lane = labels.base(call.baseId());
    breaker.acquirePermission();
    AirtableResponse response;
    long start;
    try {
      response = queue.submit(call.baseId(), lane, deadlineNanos, () -> {
        long t = System.nanoTime();
        countMonthlyCall(lane);
        try {
          AirtableResponse r = client.send(call);
          breaker.onSuccess(System.nanoTime() - t, TimeUnit.NANOSECONDS);
          return r;
        } catch (AirtableUpstreamException e) {
          breaker.onError(System.nanoTime() - t, TimeUnit.NANOSECONDS, e);
          throw e;
        }
      });
    } catch (InterruptedException | RuntimeException e) {
      if (!(e instanceof AirtableUpstreamException)) {
        breaker.releasePermission();
      }
      throw e;
    }
    if (response.status() == 429) {
      limiter.onUpstreamResponse(call.baseId(), lane, 429, errorType(response.body()));
    }
    return response;
  }

  /** {@code airtable_api_quota_usage{quota_type="monthly_calls"}}: calls sent this (UTC) month against the plan's limit. */
  private void countMonthlyCall(String baseId) {
    long calls;
    synchronized (monthLock) {
      YearMonth now = YearMonth.now(ZoneOffset.UTC);
      if (!now.equals(month)) {
        month = now;
        callsThisMonth = 0;
      }
      calls = ++callsThisMonth;
    }
    metrics.airtableGateway().updateQuotaUsage(baseId, "monthly_calls", Math.min(100.0, 100.0 * calls / monthlyCallLimit));
  }

  private static String cacheKey(AirtableCall call) {
    return call.operation() + ":" + (call.recordId() != null ? call.recordId() : call.query());
  }

  /** {@code query} with its {@code offset} parameter (if any) replaced by {@code offset}. */
  static String withOffset(String query, String offset) {
    String rest = query == null ? "" : Arrays.stream(query.split("&"))
        .filter(p -> !p.isEmpty() && !p.equals("offset") && !p.startsWith("offset="))
        .collect(Collectors.joining("&"));
    String o = "offset=" + URLEncoder.encode(offset, StandardCharsets.UTF_8);
    return rest.isEmpty() ? o : rest + "&" + o;
  }

  /** Airtable's error type: {@code {"error":{"type":...}}}, {@code {"error":"TYPE"}} or {@code {"errors":[{"error":...}]}}. */
  static String errorType(String body) {
    try {
      JsonNode root = new ObjectMapper().readTree(body);
      JsonNode error = root.path("error");
      if (error.isTextual()) {
        return error.asText();
      }
      if (error.has("type")) {
        return error.get("type").asText();
      }
      JsonNode first = root.path("errors").path(0).path("error");
      return first.isMissingNode() ? null : first.asText();
    } catch (IOException e) {
      return null;
    }
  }

  private JsonNode parse(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new AirtableUpstreamException(200, "Airtable answered a list page that is not JSON", e);
    }
  }
}

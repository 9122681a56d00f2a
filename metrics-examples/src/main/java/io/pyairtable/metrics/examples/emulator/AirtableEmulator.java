package io.pyairtable.metrics.examples.emulator;

import io.github.bucket4j.Bucket;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.pyairtable.metrics.examples.airtable.AirtableRefusal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback emulator of the Airtable Web API: records in memory behind Airtable's real REST
 * routes and error bodies. It enforces Airtable's 5 requests/second per base (a token bucket of 5
 * refilled at 5/s); over it answers 429 {@code RATE_LIMIT_REACHED} and keeps refusing the base for
 * the penalty period (30 s, as Airtable documents), and counts every such 429 in
 * {@link #rateLimitResponses()}. Requests without the bearer token get 401. Each answer waits a
 * realistic latency (20-60 ms by default). {@link #injectFault} makes it answer 429
 * {@code PUBLIC_API_BILLING_LIMIT_EXCEEDED} or 5xx for a share of requests.
 *
 * <p>Routes: {@code GET|POST|PATCH|PUT|DELETE /v0/{baseId}/{tableIdOrName}} (list with
 * {@code pageSize} &le; 100, {@code maxRecords}, {@code offset}, {@code fields[]},
 * {@code filterByFormula} of the form {@code {Field}='value'}, {@code sort[n][field|direction]},
 * {@code view}; batch create/update/delete of up to 10 records, {@code typecast}),
 * {@code POST /v0/{baseId}/{tableIdOrName}/listRecords} (the list parameters in a JSON body),
 * {@code GET|PATCH|PUT|DELETE /v0/{baseId}/{tableIdOrName}/{recordId}} and
 * {@code GET /v0/meta/bases/{baseId}/tables}. Unknown field names (written, selected, sorted or
 * filtered on), views and parameters get Airtable's 422s ({@code UNKNOWN_FIELD_NAME},
 * {@code VIEW_NAME_NOT_FOUND}, {@code INVALID_REQUEST_UNKNOWN}, ...).
 *
 * <pre>{@code
 * try (AirtableEmulator airtable = AirtableEmulator.builder().apiKey("patLocal.secret").build().start()) {
 *   airtable.seedSampleRecords("appDemoBase000001", "Customers", 250);
 *   // GET airtable.baseUrl() + "/v0/appDemoBase000001/Customers?pageSize=100"
 *   //   with header "Authorization: Bearer patLocal.secret"
 *   assert airtable.rateLimitResponses() == 0;
 * }
 * }</pre>
 */
public final class AirtableEmulator extends LoopbackEmulator<AirtableEmulator> {

  /** Failures {@link #injectFault} can make the emulator answer with. */
  public enum Fault {
    /** 429 {@code PUBLIC_API_BILLING_LIMIT_EXCEEDED}: the monthly quota, not to be retried. */
    BILLING_LIMIT,
    /** 500 {@code SERVER_ERROR}. */
    SERVER_ERROR,
    /** 503 {@code SERVICE_UNAVAILABLE}. */
    SERVICE_UNAVAILABLE;

    /** The answer Airtable gives for this failure. */
    AirtableRefusal refusal() {
      return switch (this) {
        case BILLING_LIMIT -> new AirtableRefusal(429, "PUBLIC_API_BILLING_LIMIT_EXCEEDED",
            "The API billing plan limit has been exceeded for this workspace");
        case SERVER_ERROR -> new AirtableRefusal(500, "SERVER_ERROR",
            "Try again. If the problem persists, contact support.");
        case SERVICE_UNAVAILABLE -> new AirtableRefusal(503, "SERVICE_UNAVAILABLE",
            "The server could not process your request in time");
      };
    }
  }

  /** The default API key the emulator accepts. */
  public static final String DEFAULT_API_KEY = "patEmulator00000.local-emulator-token";


  private final Builder config;
  private final Random random;
  private final AirtableRecordStore store;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, Long> blockedUntilNanos = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> rateLimitResponsesByBase = new ConcurrentHashMap<>();
  private final AtomicLong rateLimitResponses = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong injectedFaults = new AtomicLong();
  private volatile Fault fault;
  private volatile double faultProbability;

  private AirtableEmulator(Builder config) {
    super("airtable-emulator", config);
    this.config = config;
    this.random = new Random(config.seed);
    this.store = new AirtableRecordStore(new Random(config.seed + 1));
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  void routes(JavalinConfig c) {
    AirtableRoutes r = new AirtableRoutes(store);
    c.routes.get("/v0/meta/bases/{baseId}/tables", guarded(r::describeTables));
    c.routes.get("/v0/{baseId}/{table}", guarded(r::listRecords));
    c.routes.post("/v0/{baseId}/{table}/listRecords", guarded(r::listRecordsPost));
    c.routes.post("/v0/{baseId}/{table}", guarded(r::createRecords));
    c.routes.patch("/v0/{baseId}/{table}", guarded(ctx -> r.updateRecords(ctx, false)));
    c.routes.put("/v0/{baseId}/{table}", guarded(ctx -> r.updateRecords(ctx, true)));
    c.routes.delete("/v0/{baseId}/{table}", guarded(r::deleteRecords));
    c.routes.get("/v0/{baseId}/{table}/{recordId}", guarded(r::getRecord));
    c.routes.patch("/v0/{baseId}/{table}/{recordId}", guarded(ctx -> r.updateRecord(ctx, false)));
    c.routes.put("/v0/{baseId}/{table}/{recordId}", guarded(ctx -> r.updateRecord(ctx, true)));
    c.routes.delete("/v0/{baseId}/{table}/{recordId}", guarded(r::deleteRecord));
    c.routes.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty() || ctx.result().startsWith("Endpoint")) {
        AirtableRoutes.error(ctx, new AirtableRefusal(404, "NOT_FOUND", "Could not find what you are looking for"));
      }
    });
  }

  /** Authentication, the per-base rate limit, injected faults and latency around a route. */
  private Handler guarded(Handler route) {
    return ctx -> {
      requests.incrementAndGet();
      try {
        String auth = ctx.header("Authorization");
        if (auth == null || !auth.equals("Bearer " + config.apiKey)) {
          throw new AirtableRefusal(401, "AUTHENTICATION_REQUIRED", "Authentication required");
        }
        String baseId = ctx.pathParam("baseId");
        admit(baseId);
        Fault injected = drawFault();
        if (injected != null) {
          injectedFaults.incrementAndGet();
          throw injected.refusal();
        }
        delay();
        route.handle(ctx);
      } catch (AirtableRefusal e) {
        AirtableRoutes.error(ctx, e);
      }
    };
  }

  private void admit(String baseId) {
    long now = System.nanoTime();
    Long blocked = blockedUntilNanos.get(baseId);
    boolean refused = blocked != null && now - blocked < 0;
    if (!refused) {
      Bucket bucket = buckets.computeIfAbsent(baseId, b -> Bucket.builder()
          .addLimit(l -> l.capacity(config.requestsPerSecond).refillGreedy(config.requestsPerSecond,
              Duration.ofSeconds(1)))
          .build());
      refused = !bucket.tryConsume(1);
      if (refused) {
        blockedUntilNanos.put(baseId, now + config.rateLimitPenalty.toNanos());
      }
    }
    if (refused) {
      rateLimitResponses.incrementAndGet();
      rateLimitResponsesByBase.computeIfAbsent(baseId, b -> new AtomicLong()).incrementAndGet();
      throw new AirtableRefusal(429, "RATE_LIMIT_REACHED",
          "Rate limit exceeded. Please try again later");
    }
  }

  private Fault drawFault() {
    Fault f = fault;
    if (f == null) {
      return null;
    }
    synchronized (random) {
      return random.nextDouble() < faultProbability ? f : null;
    }
  }

  private void delay() {
    long min = config.minLatency.toMillis();
    long max = config.maxLatency.toMillis();
    long millis;
    synchronized (random) {
      millis = max > min ? min + random.nextInt((int) (max - min + 1)) : min;
    }
    pause(millis);
  }

  // --- seeding and inspection -----------------------------------------------------------------------

  /** Creates a table directly in memory (no HTTP, no rate limit); returns its {@code tbl...} id. */
  public String createTable(String baseId, String tableName) {
    return store.createTable(baseId, tableName);
  }

  /** Adds a record directly in memory; returns its {@code rec...} id. */
  public String insertRecord(String baseId, String tableName, Map<String, ?> fields) {
    store.createTable(baseId, tableName);
    return store.seed(baseId, tableName, AirtableRoutes.MAPPER.valueToTree(fields)).get("id").asText();
  }

  /** Creates {@code tableName} with {@code count} deterministic customer records; returns the table id. */
  public String seedSampleRecords(String baseId, String tableName, int count) {
    String tableId = store.createTable(baseId, tableName);
    String[] statuses = {"Todo", "In progress", "Done"};
    for (int i = 1; i <= count; i++) {
      insertRecord(baseId, tableName, Map.of("Name", String.format("Customer %03d", i),
          "Email", "customer" + i + "@example.com", "Status", statuses[i % statuses.length], "Score", i * 7 % 100));
    }
    return tableId;
  }

  /** Records currently in a table. */
  public int recordCount(String baseId, String tableIdOrName) {
    return store.size(baseId, tableIdOrName);
  }

  /** A new id in Airtable's format, for example {@code newId("app")} for a base id. */
  public String newId(String prefix) {
    return store.newId(prefix);
  }

  /** From now on a share ({@code probability}, 0 to 1) of admitted requests fails with {@code fault}. */
  public void injectFault(Fault fault, double probability) {
    if (probability < 0 || probability > 1) {
      throw new IllegalArgumentException("probability must be within [0, 1], was " + probability);
    }
    this.faultProbability = probability;
    this.fault = Objects.requireNonNull(fault, "fault");
  }

  /** Stops injecting faults. */
  public void clearFault() {
    this.fault = null;
  }

  /** Every 429 {@code RATE_LIMIT_REACHED} this emulator sent because a base went over 5 requests/second. */
  public long rateLimitResponses() {
    return rateLimitResponses.get();
  }

  /** The 429 {@code RATE_LIMIT_REACHED} answers sent for one base. */
  public long rateLimitResponses(String baseId) {
    AtomicLong n = rateLimitResponsesByBase.get(baseId);
    return n == null ? 0 : n.get();
  }

  /** Requests received on the API routes (unknown routes excluded). */
  public long requests() {
    return requests.get();
  }

  /** Answers replaced by an injected fault. */
  public long injectedFaults() {
    return injectedFaults.get();
  }

  /** The bearer token requests must carry. */
  public String apiKey() {
    return config.apiKey;
  }

  /** Settings of an {@link AirtableEmulator}. */
  public static final class Builder extends Settings<Builder> {
    private String apiKey = DEFAULT_API_KEY;
    private int requestsPerSecond = 5;
    private Duration rateLimitPenalty = Duration.ofSeconds(30);

    /** Latency 20-60 ms, seed 42, a free port. */
    private Builder() {
      super(Duration.ofMillis(20), Duration.ofMillis(60));
    }

    /** The personal access token requests must send as {@code Authorization: Bearer <token>}. */
    public Builder apiKey(String apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
      return this;
    }

    /** Requests per second per base (Airtable: 5). */
    public Builder requestsPerSecondPerBase(int requestsPerSecond) {
      if (requestsPerSecond < 1) {
        throw new IllegalArgumentException("requestsPerSecond must be >= 1");
      }
      this.requestsPerSecond = requestsPerSecond;
      return this;
    }

    /** How long a base stays refused after going over the limit (Airtable: 30 s). */
    public Builder rateLimitPenalty(Duration penalty) {
      this.rateLimitPenalty = Objects.requireNonNull(penalty, "penalty");
      return this;
    }

    /** An emulator not started yet. */
    public AirtableEmulator build() {
      return new AirtableEmulator(this);
    }
  }
}

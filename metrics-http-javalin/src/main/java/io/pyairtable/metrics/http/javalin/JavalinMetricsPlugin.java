package io.pyairtable.metrics.http.javalin;

import io.javalin.config.JavalinConfig;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.plugin.Plugin;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.prometheus.metrics.exporter.servlet.jakarta.HttpExchangeAdapter;
import io.pyairtable.metrics.MetricsCollector;
import io.pyairtable.metrics.http.chain.ClientFailures;
import io.pyairtable.metrics.http.chain.ErrorResponse;
import io.pyairtable.metrics.http.chain.HttpStatusException;
import io.pyairtable.metrics.http.chain.MetricsAuth;
import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.chain.RequestChain;
import io.pyairtable.metrics.http.chain.RequestScope;
import io.pyairtable.metrics.http.jetty.ChainHandler;
import io.pyairtable.metrics.http.jetty.DrainingHandler;
import io.pyairtable.metrics.http.jetty.JettyHardening;
import io.pyairtable.metrics.http.jetty.RejectionRecorder;
import io.pyairtable.metrics.http.jetty.ServedPaths;
import io.pyairtable.metrics.http.jetty.ServerLimits;
import io.pyairtable.metrics.http.middleware.HttpMiddleware;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletApiRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Server;

/**
 * The one way to install the chain on Javalin 7, configured the way Javalin's own plugins are:
 * {@code config.registerPlugin(new JavalinMetricsPlugin(cfg -> ...))}. A Jetty core handler
 * around Javalin's servlet context ({@link ChainHandler}) records the final status and the body
 * bytes Jetty read and wrote (streamed, chunked and compressed bodies as sent) when the request
 * completes, without wrapping the servlet request and response; a Javalin request logger hands
 * over the matched route template
 * ({@code /items/{id}}), so a request no route matched is labelled "unmatched"; an
 * {@code exception(Exception.class)} handler records the exception once and, with error handling
 * on, answers with the JSON error body. What Jetty rejects before routing is counted too. Also
 * serves the metrics endpoint unless a management port is set (from the Jetty handler, ahead of
 * Javalin's routes: Javalin's before and after handlers do not run for a scrape, and a route of
 * the application cannot shadow it); with {@link Config#serverLimits}
 * the Jetty server gets the project's hardening and graceful drain ({@link JettyHardening}).
 *
 * <pre>{@code
 * Javalin app = Javalin.create(config -> {
 *   config.registerPlugin(new JavalinMetricsPlugin(cfg -> cfg
 *       .collector(metrics)
 *       .options(o -> o.correlationHeader("X-Correlation-ID"))
 *       .serverLimits(ServerLimits.defaults())));
 *   config.routes.get("/items/{id}", ctx -> ctx.result("item"));
 * }).start(8000);
 * }</pre>
 */
public final class JavalinMetricsPlugin extends Plugin<JavalinMetricsPlugin.Config> {

  /** The plugin's settings, filled by the consumer given to the constructor. */
  public static final class Config {
    private MiddlewareOptions.Builder options = MiddlewareOptions.builder();
    private ServerLimits serverLimits;
    private final ServedPaths.Builder paths = ServedPaths.builder();

    /** The collector to record into (metrics are off without one). */
    public Config collector(MetricsCollector collector) {
      options.metricsCollector(collector);
      return this;
    }

    /** Adjusts the chain's options (see {@link MiddlewareOptions.Builder}). */
    public Config options(Consumer<MiddlewareOptions.Builder> adjust) {
      adjust.accept(options);
      return this;
    }

    /** Replaces the chain's options. */
    public Config options(MiddlewareOptions options) {
      this.options = options.toBuilder();
      return this;
    }

    /**
     * Hardens Javalin's Jetty server with these limits and drains it on {@code app.stop()}
     * (default: none, Jetty as Javalin configures it).
     */
    public Config serverLimits(ServerLimits limits) {
      this.serverLimits = Objects.requireNonNull(limits);
      return this;
    }

    /**
     * Answers {@code path} (exact, within the context, with or without a trailing slash) from the
     * plugin's Jetty handler, ahead of Javalin's router: for a service's own small endpoints
     * (health), so they cost the application's requests nothing and no application route can
     * shadow them. Javalin's before and after handlers do not run for it.
     */
    public Config answer(String path, ServedPaths.Endpoint endpoint) {
      paths.answer(path, endpoint);
      return this;
    }
  }

  private final HttpMiddleware middleware;
  private final ServerLimits limits;

  /** A plugin configured by {@code config} (Javalin's plugin pattern). */
  public JavalinMetricsPlugin(Consumer<Config> config) {
    super(Objects.requireNonNull(config), new Config());
    this.middleware = HttpMiddleware.create(withJavalinMappings(pluginConfig.options.build()));
    this.limits = pluginConfig.serverLimits;
  }

  /** Adds Javalin's {@code HttpResponseException} (answered with its own status) to the error mappings. */
  static MiddlewareOptions withJavalinMappings(MiddlewareOptions options) {
    return options.toBuilder().errorMappings(options.errorMappings().toBuilder()
        .map(HttpResponseException.class, HttpResponseException::getStatus).build()).build();
  }

  /**
   * Serves {@code collector} at its {@code METRICS_ENDPOINT} path, protected by {@code auth},
   * without the chain (the README's {@code create_metrics_endpoint()}).
   */
  public static MetricsEndpoint createMetricsEndpoint(JavalinConfig config,
      MetricsCollector collector, MetricsAuth auth) {
    MetricsEndpoint endpoint = new MetricsEndpoint(collector, auth);
    config.routes.get(collector.config().endpoint(), scrape(endpoint));
    return endpoint;
  }

  /** The installed chain. */
  public HttpMiddleware middleware() {
    return middleware;
  }

  @Override
  public String name() {
    return "pyairtable-metrics";
  }

  @Override
  public void onInitialize(JavalinState state) {
    RequestChain chain = middleware.requestChain();
    // inserted first, so the hardening handlers inserted after it sit outside it; it serves the metrics
    // endpoint itself (unless a management port does), so no Javalin route is added for it: Javalin tries
    // each route's pattern in turn, and one more route ahead of the application's cost every request a regex
    middleware.applicationPortEndpoint().ifPresent(endpoint ->
        pluginConfig.paths.scrape(middleware.options().metricsPath(), endpoint));
    ServedPaths served = pluginConfig.paths.build();
    ChainHandler handler = new ChainHandler(chain, served);
    state.jetty.modifyServer(server -> server.insertHandler(handler));
    state.events.serverStarting(() -> refuseShadowedRoutes(state, served));
    if (limits != null) {
      harden(state, chain);
    }
    // what Jetty answers itself before routing (400, 413, 414, 431, a draining 503) is counted too
    state.jetty.modifyServer(server -> RejectionRecorder.install(server, chain));
    // Javalin's request loggers run once per request after the response is written and before it
    // completes, with the matched endpoint known: cheaper than an after handler, which Javalin
    // path-matches on every request
    state.requestLogger.http((ctx, executionMs) -> handOverTemplate(ctx));
    state.routes.exception(Exception.class, (e, ctx) -> handleException(chain, e, ctx));
    if (middleware.options().managementPort().isPresent()) {
      state.events.serverStarting(middleware::startManagementServer);
      state.events.serverStopped(middleware::close);
    }
  }

  /**
   * A Javalin route for a path the plugin's handler answers would never run: the server refuses to
   * start with one, as Javalin refuses a route declared twice (which is what the same route next to
   * the plugin's endpoint was before the handler answered it).
   */
  static void refuseShadowedRoutes(JavalinState state, ServedPaths served) {
    for (ParsedEndpoint entry : state.internalRouter.allHttpHandlers()) {
      Endpoint route = entry.endpoint;
      if (route.method.isHttpMethod() && served.serves(route.path)) {
        throw new IllegalStateException(route.method + " " + route.path + " would never run: the pyairtable-metrics "
            + "plugin answers " + route.path + " itself (its metrics endpoint or cfg.answer); remove the route or "
            + "move it to another path");
      }
    }
  }

  /** Applies the limits to the server Javalin will start and drains it on stop (Javalin's stopping event runs before Jetty stops). */
  private void harden(JavalinState state, RequestChain chain) {
    AtomicReference<Server> server = new AtomicReference<>();
    AtomicReference<DrainingHandler> draining = new AtomicReference<>();
    state.jetty.modifyHttpConfiguration(http -> JettyHardening.applyRates(http, limits));
    state.jetty.modifyServer(s -> {
      server.set(s);
      draining.set(JettyHardening.apply(s, limits, chain));
    });
    state.events.serverStopping(() -> {
      if (server.get() != null && draining.get() != null) {
        JettyHardening.drain(server.get(), draining.get(), limits.shutdownGrace());
      }
    });
  }

  private static Handler scrape(MetricsEndpoint endpoint) {
    return ctx -> endpoint.handle(new HttpExchangeAdapter(ctx.req(), ctx.res()), ctx.header("Authorization"));
  }

  private static void handOverTemplate(Context ctx) {
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    if (matched != null) {
      RequestScope scope = scopeOf(ctx);
      if (scope != null) {
        scope.routeTemplate(matched.path);
      }
    }
  }

  /**
   * The request's scope, from the chain's Jetty handler under Javalin's request wrapper (a lookup
   * through the servlet API's attributes drew 4.9% of the samples in a JFR profile of a
   * {@code GET /hello} server); null for a request the handler does not serve (a WebSocket upgrade).
   */
  static RequestScope scopeOf(Context ctx) {
    ServletRequest request = ctx.req();
    while (request instanceof ServletRequestWrapper wrapper) {
      request = wrapper.getRequest();
    }
    ServletContextRequest jetty = request instanceof ServletApiRequest
        ? ServletContextRequest.getServletContextRequest(request) : null;
    return jetty == null ? null : ChainHandler.scopeOf(jetty.getServletContextResponse());
  }

  static void handleException(RequestChain chain, Exception e, Context ctx) {
    RequestScope scope = scopeOf(ctx);
    // a client error Jetty found while the route read the body (a streamed body over maxRequestBody: 413)
    // is answered with Jetty's status by the chain, or below with error handling off
    ErrorResponse error = scope == null ? null : chain.onException(scope, e,
        e instanceof HttpResponseException || e instanceof HttpStatusException ? e.getMessage() : null);
    if (error != null && !error.writable()) { // the client is gone: nothing to answer
      ctx.status(error.status());
      return;
    }
    if (error == null) { // error handling off: what Javalin does without a handler
      int refused = ClientFailures.refusedStatus(e);
      if (refused != 0) {
        ctx.status(refused);
        return;
      }
      int status = e instanceof HttpResponseException ? ((HttpResponseException) e).getStatus() : 500;
      ctx.status(status).result(e instanceof HttpResponseException ? e.getMessage() : "Server Error");
      return;
    }
    ctx.status(error.status()).contentType(ErrorResponse.CONTENT_TYPE).result(error.body());
  }
}

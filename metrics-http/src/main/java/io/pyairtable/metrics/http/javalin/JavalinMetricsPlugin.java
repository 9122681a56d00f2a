package io.pyairtable.metrics.http.javalin;

import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.plugin.Plugin;
import io.javalin.router.Endpoint;
import io.prometheus.metrics.exporter.servlet.jakarta.HttpExchangeAdapter;
import io.pyairtable.metrics.http.HttpMiddleware;
import io.pyairtable.metrics.http.chain.ErrorResponse;
import io.pyairtable.metrics.http.chain.MetricsEndpoint;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.chain.RequestChain;
import io.pyairtable.metrics.http.chain.RequestScope;
import io.pyairtable.metrics.http.jetty.RejectionRecorder;
import io.pyairtable.metrics.http.servlet.MetricsServletFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

/**
 * The chain as a Javalin 7 plugin. A servlet filter in Javalin's Jetty context wraps the real
 * request and response streams (so streamed, chunked and compressed bodies are counted as sent)
 * and records the final status after Javalin has written its response; an {@code after} handler
 * hands over the matched route template ({@code /items/{id}}), so a request no route matched is
 * labelled "unmatched"; an {@code exception(Exception.class)} handler records the exception once
 * and, with error handling on, answers with the JSON error body. Also serves the metrics endpoint
 * unless a management port is set.
 *
 * <pre>{@code
 * Javalin app = Javalin.create(config -> {
 *   config.registerPlugin(new JavalinMetricsPlugin(MiddlewareOptions.of(collector)));
 *   config.routes.get("/items/{id}", ctx -> ctx.result("item"));
 * }).start(8000);
 * }</pre>
 */
public final class JavalinMetricsPlugin extends Plugin<Void> {

  private final HttpMiddleware middleware;

  public JavalinMetricsPlugin(MiddlewareOptions options) {
    this(HttpMiddleware.create(withJavalinMappings(options)));
  }

  public JavalinMetricsPlugin(HttpMiddleware middleware) {
    this.middleware = middleware;
  }

  /** Adds Javalin's {@code HttpResponseException} (answered with its own status) to the error mappings. */
  static MiddlewareOptions withJavalinMappings(MiddlewareOptions options) {
    return options.toBuilder().errorMappings(options.errorMappings().toBuilder()
        .map(HttpResponseException.class, HttpResponseException::getStatus).build()).build();
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
    MetricsServletFilter filter = new MetricsServletFilter(chain, true);
    state.jetty.modifyServletContextHandler(handler ->
        handler.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST)));
    // what Jetty answers itself before routing (400, 413, 414, 431, a draining 503) is counted too
    state.jetty.modifyServer(server -> RejectionRecorder.install(server, chain));
    state.routes.after(JavalinMetricsPlugin::handOverTemplate);
    state.routes.exception(Exception.class, (e, ctx) -> handleException(chain, e, ctx));
    if (middleware.servesMetricsOnApplicationPort()) {
      MetricsEndpoint endpoint = middleware.metricsEndpoint().orElseThrow();
      io.javalin.http.Handler scrape =
          ctx -> endpoint.handle(new HttpExchangeAdapter(ctx.req(), ctx.res()), ctx.header("Authorization"));
      String path = middleware.options().metricsPath();
      state.routes.get(path, scrape);
      state.routes.head(path, scrape);     // the same 401 as GET without credentials
      state.routes.options(path, scrape);
    }
    if (middleware.options().managementPort().isPresent()) {
      state.events.serverStarting(middleware::startManagementServer);
      state.events.serverStopped(middleware::close);
    }
  }

  private static void handOverTemplate(Context ctx) {
    Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    if (matched != null) {
      ctx.req().setAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE, matched.path);
    }
  }

  static void handleException(RequestChain chain, Exception e, Context ctx) {
    Object scope = ctx.req().getAttribute(RequestScope.ATTRIBUTE);
    ErrorResponse error = scope instanceof RequestScope
        ? chain.onException((RequestScope) scope, e, e instanceof HttpResponseException ? e.getMessage()
            : e instanceof io.pyairtable.metrics.http.chain.HttpStatusException ? e.getMessage() : null)
        : null;
    if (error != null && !error.writable()) { // the client is gone: nothing to answer
      ctx.status(error.status());
      return;
    }
    if (error == null) { // error handling off: what Javalin does without a handler
      int status = e instanceof HttpResponseException ? ((HttpResponseException) e).getStatus() : 500;
      ctx.status(status).result(e instanceof HttpResponseException ? e.getMessage() : "Server Error");
      return;
    }
    ctx.status(error.status()).contentType(ErrorResponse.CONTENT_TYPE).result(error.body());
  }
}

package io.pyairtable.metrics.http.servlet;

import io.pyairtable.metrics.http.chain.ClientFailures;
import io.pyairtable.metrics.http.chain.ErrorResponse;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import io.pyairtable.metrics.http.chain.RequestChain;
import io.pyairtable.metrics.http.chain.RequestScope;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;

/**
 * The chain as a Jakarta Servlet filter (Jetty, Tomcat, Spring MVC): correlation id, metrics,
 * request logging and error handling around every request, with body bytes counted on the real
 * streams and the final status recorded (async requests when they complete). The endpoint label
 * is, in order: the template an adapter handed over ({@link RequestScope#routeTemplate(String)}), the
 * {@value RequestScope#ROUTE_TEMPLATE_ATTRIBUTE} request attribute, Spring
 * MVC's best matching pattern, an exact servlet mapping, a configured route template, then the
 * {@link io.pyairtable.metrics.http.chain.PathNormalizer} (a 404 without a template is "unmatched").
 *
 * <pre>{@code
 * ServletContextHandler context = new ServletContextHandler();
 * context.addFilter(new FilterHolder(new MetricsServletFilter(MiddlewareOptions.of(collector))),
 *     "/*", EnumSet.of(DispatcherType.REQUEST));
 * // Spring Boot: new FilterRegistrationBean<>(new MetricsServletFilter(options))
 * }</pre>
 */
public final class MetricsServletFilter implements Filter {

  /** The request attribute Spring MVC stores the matched pattern in. */
  public static final String SPRING_BEST_MATCHING_PATTERN =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  private final RequestChain chain;
  private final boolean routesKnown;

  /** A filter for these options. */
  public MetricsServletFilter(MiddlewareOptions options) {
    this(new RequestChain(options), false);
  }

  /**
   * A filter over an existing chain.
   *
   * @param routesKnown true when the application behind the filter routes every request and
   *     hands over the template of each matched one ({@link RequestScope#routeTemplate(String)} or
   *     {@value RequestScope#ROUTE_TEMPLATE_ATTRIBUTE}, which the Spring starter's interceptor sets),
   *     so a request without one matched no route
   */
  public MetricsServletFilter(RequestChain chain, boolean routesKnown) {
    this.chain = chain;
    this.routesKnown = routesKnown;
  }

  /** The core this filter runs. */
  public RequestChain requestChain() {
    return chain;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain next) throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      next.doFilter(req, res);
      return;
    }
    if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) { // not a request/response exchange
      next.doFilter(req, res);
      return;
    }
    String path = pathWithinApplication(request);
    RequestScope scope = chain.begin(request.getMethod(), path,
        chain.correlationEnabled() ? request.getHeader(chain.correlationHeader()) : null);
    request.setAttribute(RequestScope.ATTRIBUTE, scope);
    if (chain.logsRequests()) {
      scope.client(chain.clientAddress(request.getRemoteAddr(),
          chain.trustsForwardedFor() ? request.getHeader("X-Forwarded-For") : null));
    }
    if (scope.correlationId() != null) {
      request.setAttribute(RequestScope.CORRELATION_ID_ATTRIBUTE, scope.correlationId());
      response.setHeader(chain.correlationHeader(), scope.correlationId());
    }
    CountingServletRequest countedRequest = new CountingServletRequest(request, scope);
    CountingServletResponse countedResponse = new CountingServletResponse(response, scope);
    int failedStatus = 0;
    try {
      next.doFilter(countedRequest, countedResponse);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      Throwable cause = unwrap(e);
      ErrorResponse error = chain.onException(scope, cause);
      if (!scope.clientFailed()) { // a client that went away gets nothing: recorded as 499/408 with one WARN line
        if (error == null || response.isCommitted()) {
          // the container answers: with the status of its own refusal (Jetty's body limit: 413), else 500
          int refused = ClientFailures.refusedStatus(cause);
          failedStatus = refused != 0 ? refused : 500;
          throw e;
        }
        writeError(countedResponse, error);
      }
    } finally {
      if (failedStatus == 0 && request.isAsyncStarted()) {
        request.getAsyncContext().addListener(completion(scope, countedRequest, countedResponse));
      } else {
        finish(scope, countedRequest, countedResponse,
            failedStatus != 0 && !response.isCommitted() ? failedStatus : response.getStatus());
      }
      chain.leave(scope);
    }
  }

  /** Records the request with its template, status and body sizes. */
  private void finish(RequestScope scope, CountingServletRequest request, CountingServletResponse response,
      int status) {
    chain.finish(scope, template(scope, request), routesKnown, status, request.bodySize(), response.bytesWritten());
  }

  /** Writes {@code error} as the response (the application's partial, uncommitted output is discarded). */
  static void writeError(CountingServletResponse response, ErrorResponse error) throws IOException {
    response.resetBuffer();
    response.setStatus(error.status());
    response.setContentType(ErrorResponse.CONTENT_TYPE);
    byte[] body = error.body();
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private String template(RequestScope scope, HttpServletRequest request) {
    if (scope.routeTemplate() != null) {
      return scope.routeTemplate();
    }
    Object t = request.getAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE);
    if (t == null && !routesKnown) {
      t = request.getAttribute(SPRING_BEST_MATCHING_PATTERN);
    }
    if (t != null) {
      return t.toString();
    }
    if (routesKnown) {
      return null;
    }
    try {
      HttpServletMapping mapping = request.getHttpServletMapping();
      if (mapping != null && mapping.getMappingMatch() == MappingMatch.EXACT) {
        return mapping.getPattern();
      }
    } catch (RuntimeException | AbstractMethodError e) {
      return null; // a container without mapping information
    }
    return null;
  }

  private static String pathWithinApplication(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    if (context != null && !context.isEmpty() && uri.startsWith(context)) {
      uri = uri.substring(context.length());
    }
    return uri.isEmpty() ? "/" : uri;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof ServletException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Finishes an async request when it completes. */
  private AsyncListener completion(RequestScope scope, CountingServletRequest countedRequest,
      CountingServletResponse countedResponse) {
    return new AsyncListener() {
      @Override
      public void onComplete(AsyncEvent event) {
        int status = ((HttpServletResponse) countedResponse.getResponse()).getStatus();
        finish(scope, countedRequest, countedResponse, status);
      }

      @Override
      public void onTimeout(AsyncEvent event) {
        // the container answers the timeout and then completes: recorded in onComplete
      }

      @Override
      public void onError(AsyncEvent event) {
        if (event.getThrowable() != null && scope.errorType() == null) {
          chain.onException(scope, event.getThrowable());
        }
      }

      @Override
      public void onStartAsync(AsyncEvent event) {
        event.getAsyncContext().addListener(this);
      }
    };
  }
}

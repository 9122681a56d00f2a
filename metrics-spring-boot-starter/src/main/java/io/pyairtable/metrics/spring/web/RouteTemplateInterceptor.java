package io.pyairtable.metrics.spring.web;

import io.pyairtable.metrics.http.chain.RequestScope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * Hands Spring MVC's matched pattern ({@code /users/{id}}) to the metrics filter as the endpoint
 * label. A static-resource handler's catch-all pattern ({@code /**}) counts only when it served a
 * resource, so a path that matched nothing stays {@code unmatched} (Spring answers it with 404
 * from the resource handler).
 *
 * <pre>{@code
 * registry.addInterceptor(new RouteTemplateInterceptor());   // in a WebMvcConfigurer
 * }</pre>
 */
public final class RouteTemplateInterceptor implements HandlerInterceptor {

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof ResourceHttpRequestHandler)) {
      copyPattern(request);
    }
    return true;
  }

  @Override
  public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
      ModelAndView modelAndView) {
    if (handler instanceof ResourceHttpRequestHandler && response.getStatus() < 400) {
      copyPattern(request);
    }
  }

  private static void copyPattern(HttpServletRequest request) {
    Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    if (pattern != null && request.getAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE) == null) {
      request.setAttribute(RequestScope.ROUTE_TEMPLATE_ATTRIBUTE, pattern.toString());
    }
  }
}

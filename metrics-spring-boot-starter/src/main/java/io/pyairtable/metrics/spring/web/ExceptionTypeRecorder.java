package io.pyairtable.metrics.spring.web;

import io.pyairtable.metrics.http.chain.RequestChain;
import io.pyairtable.metrics.http.chain.RequestScope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Notes the type of an exception a handler threw for {@code errors_total}, also when an
 * {@code @ExceptionHandler} or Spring's resolvers answer it, then lets them answer (it resolves
 * nothing itself). A path that matched no handler is a 404, not an error.
 *
 * <pre>{@code
 * @Bean ExceptionTypeRecorder recorder(RequestChain chain) { return new ExceptionTypeRecorder(chain); }
 * }</pre>
 */
public final class ExceptionTypeRecorder implements HandlerExceptionResolver, Ordered {

  private final RequestChain chain;

  public ExceptionTypeRecorder(RequestChain chain) {
    this.chain = chain;
  }

  @Override
  public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
      Exception ex) {
    if (ex instanceof NoResourceFoundException || ex instanceof NoHandlerFoundException) {
      return null;
    }
    Object scope = request.getAttribute(RequestScope.ATTRIBUTE);
    if (scope instanceof RequestScope && ((RequestScope) scope).errorType() == null) {
      chain.onException((RequestScope) scope, ex); // error handling is off here: only notes the type
    }
    return null;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}

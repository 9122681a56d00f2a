package io.pyairtable.metrics.spring.timed;

import io.pyairtable.metrics.MetricsCollector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Records a {@link TimedOperation} method's calls in the collector. The operation type of each
 * method is looked up once; a returned {@code CompletionStage} is returned as it is (the clock
 * stops when it completes), and an exception leaves unchanged.
 *
 * <pre>{@code
 * new DefaultPointcutAdvisor(TimedOperationInterceptor.POINTCUT, new TimedOperationInterceptor(collector));
 * }</pre>
 */
public final class TimedOperationInterceptor implements MethodInterceptor {

  private final MetricsCollector collector;
  private final Map<Method, String> operations = new ConcurrentHashMap<>();

  public TimedOperationInterceptor(MetricsCollector collector) {
    this.collector = collector;
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    String operation = operation(invocation);
    if (operation == null) {
      return invocation.proceed();
    }
    long start = System.nanoTime();
    Object result;
    try {
      result = invocation.proceed();
    } catch (Throwable t) {
      collector.recordBusinessOperation(operation, false, (System.nanoTime() - start) / 1e9);
      throw t;
    }
    if (result instanceof CompletionStage) {
      ((CompletionStage<?>) result).whenComplete((value, failure) ->
          collector.recordBusinessOperation(operation, failure == null, (System.nanoTime() - start) / 1e9));
    } else {
      collector.recordBusinessOperation(operation, true, (System.nanoTime() - start) / 1e9);
    }
    return result;
  }

  private String operation(MethodInvocation invocation) {
    Method method = invocation.getMethod();
    String op = operations.get(method);
    if (op == null) {
      Class<?> target = invocation.getThis() != null ? AopUtils.getTargetClass(invocation.getThis())
          : method.getDeclaringClass();
      Method specific = AopUtils.getMostSpecificMethod(method, target);
      TimedOperation a = AnnotatedElementUtils.findMergedAnnotation(specific, TimedOperation.class);
      if (a == null && specific.getDeclaringClass() != Object.class
          && Modifier.isPublic(specific.getModifiers())) {
        a = AnnotatedElementUtils.findMergedAnnotation(target, TimedOperation.class);
      }
      op = a == null ? "" : a.value();
      operations.put(method, op);
    }
    return op.isEmpty() ? null : op;
  }
}

package io.pyairtable.metrics.http.javalin;

import io.pyairtable.metrics.http.AdapterFaultContract;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;

/** The fault suite against the Javalin adapter, on the same server as {@link JavalinAdapterTest}. */
class JavalinFaultTest extends AdapterFaultContract {

  @Override
  protected TestServer start(MiddlewareOptions options) throws Exception {
    return new JavalinAdapterTest().start(options);
  }

  @Override
  protected String labelOfARealPathRejectedBeforeItsHandler() {
    return "unmatched"; // a before-handler answered: Javalin's router matched no route for it
  }
}

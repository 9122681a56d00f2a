package io.pyairtable.metrics.http.servlet;

import io.pyairtable.metrics.http.AdapterFaultContract;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;

/** The fault suite against the Servlet adapter, on the same server as {@link ServletAdapterTest}. */
class ServletFaultTest extends AdapterFaultContract {

  @Override
  protected TestServer start(MiddlewareOptions options) throws Exception {
    return new ServletAdapterTest().start(options);
  }
}

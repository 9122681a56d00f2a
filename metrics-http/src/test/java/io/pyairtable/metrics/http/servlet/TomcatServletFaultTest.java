package io.pyairtable.metrics.http.servlet;

import io.pyairtable.metrics.http.AdapterFaultContract;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;

/** The fault suite against the Servlet adapter on embedded Tomcat, as in {@link TomcatServletAdapterTest}. */
class TomcatServletFaultTest extends AdapterFaultContract {

  @Override
  protected TestServer start(MiddlewareOptions options) throws Exception {
    return TomcatServletAdapterTest.startTomcat(options);
  }
}

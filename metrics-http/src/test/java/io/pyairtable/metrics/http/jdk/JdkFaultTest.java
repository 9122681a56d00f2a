package io.pyairtable.metrics.http.jdk;

import io.pyairtable.metrics.http.AdapterFaultContract;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;

/** The fault suite against the Jdk adapter, on the same server as {@link JdkAdapterTest}. */
class JdkFaultTest extends AdapterFaultContract {

  @Override
  protected TestServer start(MiddlewareOptions options) throws Exception {
    return new JdkAdapterTest().start(options);
  }
}

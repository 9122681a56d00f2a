package io.pyairtable.metrics.http.javalin;

import io.javalin.Javalin;
import io.javalin.http.UnauthorizedResponse;
import io.pyairtable.metrics.http.AdapterContract;
import io.pyairtable.metrics.http.chain.HttpStatusException;
import io.pyairtable.metrics.http.chain.MiddlewareOptions;
import java.io.OutputStream;
import java.net.URI;

/** The acceptance list against the Javalin 7 plugin. */
class JavalinAdapterTest extends AdapterContract {

  @Override
  protected TestServer start(MiddlewareOptions options) {
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(32 * 1024));
      config.registerPlugin(new JavalinMetricsPlugin(cfg -> cfg.options(options)));
      config.routes.get("/hello", ctx -> ctx.result("hello"));
      config.routes.get("/items/{id}", ctx -> ctx.result("item " + ctx.pathParam("id")));
      config.routes.get("/boom", ctx -> {
        throw new IllegalStateException(SECRET_MESSAGE);
      });
      config.routes.get("/missing", ctx -> {
        throw HttpStatusException.notFound("no such item");
      });
      config.routes.get("/chunked", ctx -> {
        OutputStream out = ctx.res().getOutputStream();
        byte[] chunk = new byte[16 * 1024];
        for (int i = 0; i < MIB / chunk.length; i++) {
          out.write(chunk);
          out.flush();
        }
      });
      config.routes.post("/echo", ctx -> ctx.result("read " + ctx.bodyAsBytes().length));
      config.routes.get("/created", ctx -> ctx.status(201).result("made"));
      config.routes.get("/health", ctx -> ctx.result("ok"));
      config.routes.get("/stream", ctx -> {
        OutputStream out = ctx.res().getOutputStream();
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 4096; i++) {
          out.write(chunk);
          out.flush();
        }
      });
      config.routes.before("/secure/*", ctx -> {
        if (ctx.header("Authorization") == null) {
          throw new UnauthorizedResponse();
        }
      });
      config.routes.get("/secure/open", ctx -> ctx.result("open"));
      config.routes.get("/bad", ctx -> {
        throw new IllegalArgumentException(SECRET_MESSAGE);
      });
    }).start("127.0.0.1", 0);
    URI base = URI.create("http://127.0.0.1:" + app.port() + "/");
    return new TestServer(base, app::stop);
  }
}

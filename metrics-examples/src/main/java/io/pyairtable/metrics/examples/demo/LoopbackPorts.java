package io.pyairtable.metrics.examples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports on 127.0.0.1 for the helper processes the demo starts (redis-server, prometheus),
 * which cannot be told to bind port 0 and report back. The port is free when returned; the process
 * binds it a moment later.
 *
 * <pre>{@code
 * int port = LoopbackPorts.free();
 * }</pre>
 */
public final class LoopbackPorts {

  private LoopbackPorts() {}

  /** A port nothing listens on right now on 127.0.0.1. */
  public static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}

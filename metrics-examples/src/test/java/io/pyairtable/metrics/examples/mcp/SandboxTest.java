package io.pyairtable.metrics.examples.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxTest {

  @TempDir
  Path root;

  @TempDir
  Path outside;

  @Test
  void pathsThatLeaveTheSandboxAreRejected() throws Exception {
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(root.resolve("link"), outside.resolve("secret.txt"));
    Files.createDirectories(root.resolve("sub"));
    Sandbox sandbox = new Sandbox(root);
    assertThatThrownBy(() -> sandbox.resolve("../x")).isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> sandbox.resolve("sub/../../x")).isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> sandbox.resolve(outside.resolve("secret.txt").toString()))
        .isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> sandbox.read("link", 100)).isInstanceOf(SecurityException.class)
        .hasMessageContaining("links out of the sandbox");
    assertThat(sandbox.resolve("sub/../sub")).isEqualTo(sandbox.root().resolve("sub"));
  }

  @Test
  void listAndReadStayInside() throws Exception {
    Files.writeString(root.resolve("b.txt"), "hello world");
    Files.createDirectories(root.resolve("a"));
    Sandbox sandbox = new Sandbox(root);
    assertThat(sandbox.list(".")).containsExactly(new Sandbox.Entry("a", true, 0), new Sandbox.Entry("b.txt", false, 11));
    assertThat(sandbox.read("b.txt", 5)).isEqualTo("hello");
  }
}

package io.pyairtable.metrics.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every module's production classes: the {@code target/classes} of each {@code metrics-*} module
 * with a {@code src/main/java}, read from the repository (so a new module is covered without
 * editing this test). JMH's generated code is left out.
 *
 * <pre>{@code
 * JavaClasses classes = ProjectClasses.importAll();
 * }</pre>
 */
final class ProjectClasses {

  private ProjectClasses() {}

  /** The repository root: the parent of this module's directory. */
  static Path repository() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    return Files.isDirectory(here.resolve("metrics-core")) ? here : here.getParent();
  }

  /** The production class directories, one per module; fails when a module has not been compiled. */
  static List<Path> classDirectories() {
    try (Stream<Path> modules = Files.list(repository())) {
      List<Path> dirs = modules
          .filter(m -> m.getFileName().toString().startsWith("metrics-"))
          .filter(m -> Files.isDirectory(m.resolve("src/main/java")))
          .sorted()
          .map(m -> m.resolve("target/classes"))
          .toList();
      for (Path dir : dirs) {
        if (!Files.isDirectory(dir.resolve("io/pyairtable/metrics"))) {
          throw new IllegalStateException(dir + " has no classes: build the module first "
              + "(and list it as a dependency of metrics-architecture, which orders the reactor)");
        }
      }
      return dirs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JavaClasses importAll() {
    return new ClassFileImporter()
        .withImportOption((Location location) -> !location.contains("/jmh_generated/"))
        .importPaths(classDirectories());
  }
}

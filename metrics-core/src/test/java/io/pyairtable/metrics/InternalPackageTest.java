package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.catalog.MetricCatalog;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The internal convention: no public signature of an API package mentions an internal type. */
class InternalPackageTest {

  private static final String INTERNAL = "io.pyairtable.metrics.internal.";

  @Test
  void noPublicSignatureOfTheApiPackagesMentionsAnInternalType() throws Exception {
    List<String> leaks = new ArrayList<>();
    List<Class<?>> api = apiClasses();
    for (Class<?> c : api) {
      if (!Modifier.isPublic(c.getModifiers())) {
        continue;
      }
      for (Method m : c.getDeclaredMethods()) {
        if (visible(m.getModifiers()) && !m.isSynthetic()) {
          check(leaks, c, m.getName(), m.getGenericReturnType());
          checkParameters(leaks, c, m);
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (visible(k.getModifiers())) {
          checkParameters(leaks, c, k);
        }
      }
      for (Field f : c.getDeclaredFields()) {
        if (visible(f.getModifiers())) {
          check(leaks, c, f.getName(), f.getGenericType());
        }
      }
    }

    assertThat(api).hasSizeGreaterThan(20);
    assertThat(leaks).isEmpty();
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void checkParameters(List<String> leaks, Class<?> c, Executable e) {
    for (Type t : e.getGenericParameterTypes()) {
      check(leaks, c, e.getName(), t);
    }
  }

  private static void check(List<String> leaks, Class<?> c, String member, Type t) {
    if (t.getTypeName().contains(INTERNAL)) {
      leaks.add(c.getName() + "." + member + ": " + t.getTypeName());
    }
  }

  /** Every class compiled into the API packages, found next to a known one. */
  private static List<Class<?>> apiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
    Path root = Path.of(MetricsCollector.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> out = new ArrayList<>();
    for (String pkg : List.of(MetricsCollector.class.getPackageName(), MetricCatalog.class.getPackageName())) {
      try (Stream<Path> files = Files.list(root.resolve(pkg.replace('.', '/')))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
          String simple = f.getFileName().toString().replace(".class", "");
          out.add(Class.forName(pkg + "." + simple.replace('/', '.'), false, InternalPackageTest.class.getClassLoader()));
        }
      }
    }
    return out;
  }
}

package io.pyairtable.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyairtable.metrics.catalog.CatalogMarkdown;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeCatalogTest {

  @Test
  void readmeFamilyTableIsTheCatalogue() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf(CatalogMarkdown.START);
    int end = readme.indexOf(CatalogMarkdown.END);

    assertThat(start).as("catalog start marker").isNotNegative();
    assertThat(readme.substring(start + CatalogMarkdown.START.length() + 1, end)).isEqualTo(CatalogMarkdown.table());
  }
}

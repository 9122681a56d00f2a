package io.pyairtable.metrics.monitoring.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes and reads the generated YAML with jackson-dataformat-yaml: strings always quoted (so
 * {@code "9090:9090"} or {@code "on"} keep their meaning under YAML 1.1 readers such as
 * docker-compose), multi-line PromQL as literal blocks, no document start marker for single
 * documents and {@code ---} between documents for Kubernetes manifests.
 *
 * <pre>{@code
 * String yaml = YamlDocuments.write(prometheusConfig.toJson());
 * JsonNode back = YamlDocuments.read(yaml);
 * }</pre>
 */
public final class YamlDocuments {

  private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .build());

  private YamlDocuments() {}

  /** One YAML document. */
  public static String write(JsonNode document) {
    try {
      return YAML.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Several documents separated by {@code ---}, as {@code kubectl apply -f} reads them. */
  public static String writeAll(List<? extends JsonNode> documents) {
    StringBuilder out = new StringBuilder();
    for (JsonNode d : documents) {
      out.append("---\n").append(write(d));
    }
    return out.toString();
  }

  /** Parses one YAML document. */
  public static JsonNode read(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The mapper, for binding YAML to records (for example an SLO configuration). */
  public static ObjectMapper mapper() {
    return YAML;
  }
}

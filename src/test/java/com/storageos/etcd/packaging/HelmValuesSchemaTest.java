package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** values.schema.json describes every value in values.yaml and rejects unknown top-level keys. */
class HelmValuesSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void schemaDescribesEveryValue() throws IOException {
        JsonNode schema = JSON.readTree(HelmChart.CHART_DIR.resolve("values.schema.json").toFile());
        JsonNode values = YAML.readTree(HelmChart.CHART_DIR.resolve("values.yaml").toFile());

        assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(undescribed("", values, schema, schema)).as("values without a schema entry").isEmpty();
    }

    @Test
    void unknownTopLevelValueIsRejected() {
        assertThatThrownBy(() -> HelmChart.withDefaults().set("replicas", 3).renderText())
                .hasMessageContaining("replicas");
    }

    private static List<String> undescribed(String path, JsonNode values, JsonNode node, JsonNode root) {
        JsonNode schema = node.has("$ref") ? root.at(node.get("$ref").asText().substring(1)) : node;
        List<String> missing = new ArrayList<>();
        if (!values.isObject() || values.isEmpty()) {
            return missing;
        }
        JsonNode properties = schema.path("properties");
        for (Map.Entry<String, JsonNode> value : (Iterable<Map.Entry<String, JsonNode>>) values::fields) {
            JsonNode described = properties.get(value.getKey());
            if (described == null) {
                if (!schema.has("additionalProperties") || schema.get("additionalProperties").isBoolean()) {
                    missing.add(path + value.getKey());
                }
            } else {
                missing.addAll(undescribed(path + value.getKey() + ".", value.getValue(), described, root));
            }
        }
        return missing;
    }
}

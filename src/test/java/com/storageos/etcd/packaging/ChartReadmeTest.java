package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart README's table names every value a user can set: each leaf key of values.yaml, as a dotted path. */
class ChartReadmeTest {

    @Test
    void readmeListsEveryValue() throws IOException {
        JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(HelmChart.CHART_DIR.resolve("values.yaml").toFile());
        String readme = Files.readString(HelmChart.CHART_DIR.resolve("README.md"));
        List<String> keys = leaves("", values);
        assertThat(keys).as("values.yaml keys").contains("replicaCount", "resources.limits.memory", "jvm.options");
        assertThat(keys.stream().filter(k -> !readme.contains("| `" + k + "` |")))
                .as("values missing from the table in helm/etcd-operator/README.md").isEmpty();
    }

    /** Dotted paths of the leaves; an empty map or list (say podLabels: {}) is a leaf the user fills in. */
    private static List<String> leaves(String prefix, JsonNode node) {
        List<String> keys = new ArrayList<>();
        if (!node.isObject() || node.isEmpty()) {
            keys.add(prefix);
            return keys;
        }
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            keys.addAll(leaves(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue()));
        }
        return keys;
    }
}

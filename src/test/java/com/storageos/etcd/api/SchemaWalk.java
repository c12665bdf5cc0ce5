package com.storageos.etcd.api;

import java.util.Map;
import java.util.function.BiConsumer;

/** Visits every node of an OpenAPI schema, with a readable path: {@code spec.backup.s3}, {@code items[*]}, {@code labels{*}}. */
final class SchemaWalk {
    private SchemaWalk() {}

    @SuppressWarnings("unchecked")
    static void visit(Map<String, Object> node, String path, BiConsumer<Map<String, Object>, String> visitor) {
        visitor.accept(node, path);
        if (node.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, child) ->
                    visit((Map<String, Object>) child, OpenApiSchemaCheck.join(path, (String) name), visitor));
        }
        if (node.get("additionalProperties") instanceof Map<?, ?> values) {
            visit((Map<String, Object>) values, path + "{*}", visitor);
        }
        if (node.get("items") instanceof Map<?, ?> items) {
            visit((Map<String, Object>) items, path + "[*]", visitor);
        }
        if (node.get("anyOf") instanceof Iterable<?> alternatives) {
            alternatives.forEach(alternative -> visit((Map<String, Object>) alternative, path + "(anyOf)", visitor));
        }
    }
}

package com.storageos.etcd.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the schema's {@code default:} values the way the API server does before validating a request
 * and when reading a stored object: a default fills an absent (or null) field of an object that is
 * itself present; defaults are never invented for an absent parent.
 */
final class StructuralDefaults {
    private StructuralDefaults() {}

    /** A defaulted deep copy of {@code value}. */
    @SuppressWarnings("unchecked")
    static Object applied(Map<String, Object> schema, Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
            Object additional = schema.get("additionalProperties");
            ((Map<String, Object>) map).forEach((key, child) -> {
                if (child == null && properties.get(key) instanceof Map<?, ?> p && p.containsKey("default")) {
                    return; // null is pruned, then defaulted below
                }
                Object childSchema = properties.containsKey(key) ? properties.get(key) : additional;
                copy.put(key, childSchema instanceof Map<?, ?> s ? applied((Map<String, Object>) s, child) : copyOf(child));
            });
            properties.forEach((key, childSchema) -> {
                Map<String, Object> s = (Map<String, Object>) childSchema;
                if (!copy.containsKey(key) && s.containsKey("default")) {
                    copy.put(key, applied(s, copyOf(s.get("default"))));
                }
            });
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            Object items = schema.get("items");
            for (Object item : list) {
                copy.add(items instanceof Map<?, ?> s ? applied((Map<String, Object>) s, item) : copyOf(item));
            }
            return copy;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Object copyOf(Object value) {
        return applied(Map.of(), value);
    }
}

package com.storageos.etcd.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The OpenAPI keywords of a structural CRD schema that this project's CRD uses: type, minimum, maximum,
 * pattern, minLength, maxLength, minProperties, maxProperties, enum and required, plus unknown fields
 * (which kubectl's default strict field validation rejects). Messages follow the API server's wording. Not a general JSON-schema engine:
 * anyOf (beyond int-or-string), oneOf, not, allOf, format, exclusive bounds, multipleOf, min/maxItems and
 * list types are not checked, and {@link #unsupportedKeywords()} reports them if the schema starts using them.
 */
final class OpenApiSchemaCheck {
    /** Keywords this check either enforces or knows to be irrelevant to validation. */
    private static final List<String> UNDERSTOOD = List.of("type", "properties", "additionalProperties", "items",
            "required", "minimum", "maximum", "pattern", "minLength", "maxLength", "minProperties", "maxProperties",
            "enum", "default", "description",
            "x-kubernetes-validations", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields", "anyOf");
    /** Fields every object has, that CRD schemas leave out at the root. */
    private static final List<String> ROOT_FIELDS = List.of("apiVersion", "kind", "metadata");

    private final Map<String, Object> rootSchema;

    OpenApiSchemaCheck(Map<String, Object> rootSchema) {
        this.rootSchema = rootSchema;
    }

    /** Schema keywords this check would silently ignore, with the path of the schema node. */
    List<String> unsupportedKeywords() {
        List<String> found = new ArrayList<>();
        SchemaWalk.visit(rootSchema, "", (node, path) -> {
            for (String key : node.keySet()) {
                if (!UNDERSTOOD.contains(key)) {
                    found.add(path + ": " + key);
                }
            }
            if (node.containsKey("anyOf") && !Boolean.TRUE.equals(node.get("x-kubernetes-int-or-string"))) {
                found.add(path + ": anyOf outside x-kubernetes-int-or-string");
            }
        });
        return found;
    }

    List<SchemaViolation> violations(Map<String, Object> object) {
        List<SchemaViolation> found = new ArrayList<>();
        Map<String, Object> withoutRootFields = new LinkedHashMap<>(object);
        ROOT_FIELDS.forEach(withoutRootFields::remove);
        check(rootSchema, withoutRootFields, "", found);
        return found;
    }

    /** True for the violations that make the API server skip CEL rules (wrong type, value outside enum). */
    static boolean blocksValidationRules(SchemaViolation violation) {
        return violation.message().contains(" must be of type ") || violation.message().startsWith("Unsupported value");
    }

    @SuppressWarnings("unchecked")
    private void check(Map<String, Object> schema, Object value, String path, List<SchemaViolation> found) {
        if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
            if (!(value instanceof String) && !isInteger(value)) {
                found.add(new SchemaViolation(path, path + " in body must be of type integer,string: \"" + typeOf(value) + "\""));
            }
            return;
        }
        String type = (String) schema.get("type");
        if (type != null && !hasType(value, type)) {
            found.add(new SchemaViolation(path, path + " in body must be of type " + type + ": \"" + typeOf(value) + "\""));
            return;
        }
        if (schema.containsKey("enum") && !((List<Object>) schema.get("enum")).contains(value)) {
            String supported = ((List<Object>) schema.get("enum")).stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "));
            found.add(new SchemaViolation(path, "Unsupported value: \"" + value + "\": supported values: " + supported));
        }
        if (value instanceof Number number) {
            checkBounds(schema, number, path, found);
        }
        if (value instanceof String text) {
            checkString(schema, text, path, found);
        }
        if (value instanceof Map<?, ?> map) {
            checkObject(schema, (Map<String, Object>) map, path, found);
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < list.size(); i++) {
                check((Map<String, Object>) items, list.get(i), path + "[" + i + "]", found);
            }
        }
    }

    private static void checkBounds(Map<String, Object> schema, Number number, String path, List<SchemaViolation> found) {
        BigDecimal actual = new BigDecimal(number.toString());
        if (schema.get("minimum") instanceof Number min && actual.compareTo(new BigDecimal(min.toString())) < 0) {
            found.add(new SchemaViolation(path, path + " in body should be greater than or equal to " + plain(min)));
        }
        if (schema.get("maximum") instanceof Number max && actual.compareTo(new BigDecimal(max.toString())) > 0) {
            found.add(new SchemaViolation(path, path + " in body should be less than or equal to " + plain(max)));
        }
    }

    private static void checkString(Map<String, Object> schema, String text, String path, List<SchemaViolation> found) {
        int length = text.codePointCount(0, text.length());
        if (schema.get("maxLength") instanceof Number max && length > max.intValue()) {
            found.add(new SchemaViolation(path, path + " in body should be at most " + max + " chars long"));
        }
        if (schema.get("minLength") instanceof Number min && length < min.intValue()) {
            found.add(new SchemaViolation(path, path + " in body should be at least " + min + " chars long"));
        }
        // The API server matches patterns with Go's regexp MatchString: a search, anchored only by ^ and $.
        if (schema.get("pattern") instanceof String pattern && !Pattern.compile(pattern).matcher(text).find()) {
            found.add(new SchemaViolation(path, path + " in body should match '" + pattern + "'"));
        }
    }

    @SuppressWarnings("unchecked")
    private void checkObject(Map<String, Object> schema, Map<String, Object> object, String path, List<SchemaViolation> found) {
        if (schema.get("maxProperties") instanceof Number max && object.size() > max.intValue()) {
            found.add(new SchemaViolation(path, path + " in body should have at most " + max + " properties"));
        }
        if (schema.get("minProperties") instanceof Number min && object.size() < min.intValue()) {
            found.add(new SchemaViolation(path, path + " in body should have at least " + min + " properties"));
        }
        for (Object required : (List<Object>) schema.getOrDefault("required", List.of())) {
            if (!object.containsKey((String) required)) {
                found.add(new SchemaViolation(join(path, (String) required), "Required value"));
            }
        }
        Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
        Object additional = schema.get("additionalProperties");
        boolean keepsUnknown = Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"));
        for (Map.Entry<String, Object> field : object.entrySet()) {
            String fieldPath = join(path, field.getKey());
            if (properties != null && properties.containsKey(field.getKey())) {
                check((Map<String, Object>) properties.get(field.getKey()), field.getValue(), fieldPath, found);
            } else if (additional instanceof Map<?, ?> valueSchema) {
                check((Map<String, Object>) valueSchema, field.getValue(), fieldPath, found);
            } else if (!keepsUnknown) {
                found.add(new SchemaViolation(fieldPath, "unknown field \"" + fieldPath + "\""));
            }
        }
    }

    private static boolean hasType(Object value, String type) {
        return switch (type) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "boolean" -> value instanceof Boolean;
            case "integer" -> isInteger(value);
            case "number" -> value instanceof Number;
            default -> throw new IllegalArgumentException("unknown OpenAPI type " + type);
        };
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger;
    }

    private static String typeOf(Object value) {
        if (value == null) return "null";
        if (isInteger(value)) return "integer";
        if (value instanceof Number) return "number";
        if (value instanceof String) return "string";
        if (value instanceof Boolean) return "boolean";
        if (value instanceof List) return "array";
        return "object";
    }

    /** 9.0 prints as 9 and 8.589934592E9 as 8589934592, as Go's %v prints these float64 bounds. */
    private static String plain(Number bound) {
        return new BigDecimal(bound.toString()).stripTrailingZeros().toPlainString();
    }

    static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}

package com.storageos.etcd.api;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.extensions.CelStringExtensions.Function;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles and evaluates the CRD's {@code x-kubernetes-validations} rules as a Kubernetes 1.26 API server does:
 * at each schema node that has rules, {@code self} is that node's value; a rule that mentions {@code oldSelf}
 * is a transition rule and runs only on an update whose old object also has the node.
 */
final class CelValidationRules {
    /**
     * The strings extension as Kubernetes 1.26 enables it (cel-go's ext.Strings() of that time). CEL-Java's
     * {@code CelExtensions.strings()} also offers quote and reverse, which 1.26 lacks, so they are left out.
     */
    private static final CelStringExtensions STRINGS_IN_KUBERNETES_1_26 = CelExtensions.strings(Function.CHAR_AT,
            Function.INDEX_OF, Function.JOIN, Function.LAST_INDEX_OF, Function.LOWER_ASCII, Function.REPLACE,
            Function.SPLIT, Function.SUBSTRING, Function.TRIM, Function.UPPER_ASCII);
    /** The only keys of a validation rule that Kubernetes 1.26 knows. */
    private static final Set<String> KEYS_IN_KUBERNETES_1_26 = Set.of("rule", "message");

    private record CompiledRule(String rule, String message, CelRuntime.Program program, boolean transition) {}

    private final Map<String, Object> rootSchema;
    private final Map<Map<String, Object>, List<CompiledRule>> rulesByNode = new IdentityHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();

    @SuppressWarnings("unchecked")
    CelValidationRules(Map<String, Object> rootSchema) {
        this.rootSchema = rootSchema;
        SchemaWalk.visit(rootSchema, "", (node, path) -> {
            for (Object entry : (List<Object>) node.getOrDefault("x-kubernetes-validations", List.of())) {
                compile(node, path, (Map<String, Object>) entry);
            }
        });
    }

    /** Rules that would not be accepted by a 1.26 API server: unknown keys, or a rule that does not compile. */
    List<String> problems() {
        return problems;
    }

    /** The message of every rule, in schema order. */
    List<String> messages() {
        return messages;
    }

    /** Violations of a create ({@code oldObject} null) or of an update. */
    List<SchemaViolation> violations(Map<String, Object> object, Map<String, Object> oldObject) {
        List<SchemaViolation> found = new ArrayList<>();
        check(rootSchema, object, oldObject, "", found);
        return found;
    }

    private void compile(Map<String, Object> node, String path, Map<String, Object> entry) {
        for (String key : entry.keySet()) {
            if (!KEYS_IN_KUBERNETES_1_26.contains(key)) {
                problems.add(path + ": '" + key + "' is not supported by Kubernetes 1.26");
            }
        }
        String rule = (String) entry.get("rule");
        String message = entry.get("message") instanceof String m ? m : "failed rule: " + rule;
        messages.add(message);
        CelType selfType = celType(node);
        Cel cel = CelFactory.standardCelBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addCompilerLibraries(STRINGS_IN_KUBERNETES_1_26)
                .addRuntimeLibraries(STRINGS_IN_KUBERNETES_1_26)
                .addVar("self", selfType)
                .addVar("oldSelf", selfType)
                .build();
        try {
            CelAbstractSyntaxTree ast = cel.compile(rule).getAst();
            if (!ast.getResultType().equals(SimpleType.BOOL)) {
                problems.add(path + ": rule must be a bool, not " + ast.getResultType().name() + ": " + rule);
                return;
            }
            boolean transition = CelNavigableAst.fromAst(ast).getRoot().allNodes()
                    .anyMatch(n -> n.getKind() == CelExpr.ExprKind.Kind.IDENT && n.expr().ident().name().equals("oldSelf"));
            rulesByNode.computeIfAbsent(node, n -> new ArrayList<>())
                    .add(new CompiledRule(rule, message, cel.createProgram(ast), transition));
        } catch (CelValidationException e) {
            problems.add(path + ": rule does not compile: " + rule + "\n" + e.getMessage());
        } catch (CelEvaluationException e) {
            problems.add(path + ": rule cannot be planned: " + rule + "\n" + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private void check(Map<String, Object> schema, Object value, Object oldValue, String path, List<SchemaViolation> found) {
        if (value == null) {
            return;
        }
        for (CompiledRule rule : rulesByNode.getOrDefault(schema, List.of())) {
            if (rule.transition() && oldValue == null) {
                continue;
            }
            Map<String, Object> bindings = new LinkedHashMap<>();
            bindings.put("self", celValue(schema, value));
            if (rule.transition()) {
                bindings.put("oldSelf", celValue(schema, oldValue));
            }
            try {
                if (!Boolean.TRUE.equals(rule.program().eval(bindings))) {
                    found.add(new SchemaViolation(path, rule.message()));
                }
            } catch (CelEvaluationException e) {
                found.add(new SchemaViolation(path, "rule evaluation error: " + rule.rule() + ": " + e.getMessage()));
            }
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
            Object additional = schema.get("additionalProperties");
            Map<String, Object> oldMap = oldValue instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            ((Map<String, Object>) map).forEach((key, child) -> {
                Object childSchema = properties.containsKey(key) ? properties.get(key) : additional;
                if (childSchema instanceof Map<?, ?> s) {
                    check((Map<String, Object>) s, child, oldMap.get(key), OpenApiSchemaCheck.join(path, key), found);
                }
            });
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            // 1.26 pairs old and new list items only for list-type map; this CRD has none, so items get no oldSelf.
            for (int i = 0; i < list.size(); i++) {
                check((Map<String, Object>) items, list.get(i), null, path + "[" + i + "]", found);
            }
        }
    }

    /** The CEL type the API server gives a schema node: objects are maps here, which checks field use less strictly. */
    @SuppressWarnings("unchecked")
    private static CelType celType(Map<String, Object> schema) {
        if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
            return SimpleType.DYN;
        }
        return switch (String.valueOf(schema.get("type"))) {
            case "string" -> SimpleType.STRING;
            case "integer" -> SimpleType.INT;
            case "number" -> SimpleType.DOUBLE;
            case "boolean" -> SimpleType.BOOL;
            case "array" -> ListType.create(schema.get("items") instanceof Map<?, ?> items
                    ? celType((Map<String, Object>) items) : SimpleType.DYN);
            case "object" -> MapType.create(SimpleType.STRING, schema.get("additionalProperties") instanceof Map<?, ?> values
                    ? celType((Map<String, Object>) values) : SimpleType.DYN);
            default -> SimpleType.DYN;
        };
    }

    /** The value as CEL sees it: integers are int64, numbers double, objects maps, arrays lists. */
    @SuppressWarnings("unchecked")
    private static Object celValue(Map<String, Object> schema, Object value) {
        if (value instanceof Number number) {
            return "number".equals(schema.get("type")) ? (Object) number.doubleValue() : (Object) number.longValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
            Object additional = schema.get("additionalProperties");
            Map<String, Object> converted = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, child) -> {
                Object childSchema = properties.containsKey(key) ? properties.get(key) : additional;
                converted.put(key, celValue(childSchema instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of(), child));
            });
            return converted;
        }
        if (value instanceof List<?> list) {
            Map<String, Object> items = schema.get("items") instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of();
            return list.stream().map(item -> celValue(items, item)).toList();
        }
        return value;
    }
}

package com.storageos.etcd.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the API server does with an EtcdCluster create or update, as far as it can be done without one:
 * default, check the OpenAPI schema, then (unless the schema check found a wrong type or enum value)
 * evaluate the CEL rules, with the stored object (defaulted too) as oldSelf on an update.
 */
final class OfflineAdmission {
    /** Added by the API server when a wrong type or enum value stops it from evaluating the CEL rules. */
    static final SchemaViolation RULES_NOT_CHECKED = new SchemaViolation("<nil>",
            "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");

    private final String apiVersion;
    private final String kind;
    final Map<String, Object> schema;
    final OpenApiSchemaCheck openApi;
    final CelValidationRules rules;

    @SuppressWarnings("unchecked")
    OfflineAdmission(Path crdFile, String version) throws IOException {
        Map<String, Object> crd = new ObjectMapper(new YAMLFactory()).readValue(crdFile.toFile(), Map.class);
        Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
        Map<String, Object> served = ((List<Map<String, Object>>) spec.get("versions")).stream()
                .filter(v -> version.equals(v.get("name"))).findFirst().orElseThrow();
        apiVersion = spec.get("group") + "/" + version;
        kind = (String) ((Map<String, Object>) spec.get("names")).get("kind");
        schema = (Map<String, Object>) ((Map<String, Object>) served.get("schema")).get("openAPIV3Schema");
        openApi = new OpenApiSchemaCheck(schema);
        rules = new CelValidationRules(schema);
    }

    List<SchemaViolation> create(Map<String, Object> object) {
        return admit(object, null);
    }

    List<SchemaViolation> update(Map<String, Object> stored, Map<String, Object> object) {
        return admit(object, stored);
    }

    @SuppressWarnings("unchecked")
    private List<SchemaViolation> admit(Map<String, Object> object, Map<String, Object> stored) {
        List<SchemaViolation> found = new ArrayList<>();
        if (!apiVersion.equals(object.get("apiVersion")) || !kind.equals(object.get("kind"))) {
            found.add(new SchemaViolation("apiVersion", "not a " + apiVersion + " " + kind));
            return found;
        }
        if (!(object.get("metadata") instanceof Map<?, ?> metadata) || !(metadata.get("name") instanceof String)) {
            found.add(new SchemaViolation("metadata.name", "Required value: name or generateName is required"));
        }
        Map<String, Object> defaulted = (Map<String, Object>) StructuralDefaults.applied(schema, object);
        Map<String, Object> defaultedStored = stored == null ? null : (Map<String, Object>) StructuralDefaults.applied(schema, stored);
        found.addAll(openApi.violations(defaulted));
        if (found.stream().anyMatch(OpenApiSchemaCheck::blocksValidationRules)) {
            found.add(RULES_NOT_CHECKED);
        } else {
            found.addAll(rules.violations(defaulted, defaultedStored));
        }
        return found;
    }
}

package com.storageos.etcd.packaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The documents of a rendered multi-document YAML stream, as plain maps. */
final class RenderedManifests {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final List<Manifest> manifests;

    private RenderedManifests(List<Manifest> manifests) {
        this.manifests = List.copyOf(manifests);
    }

    static RenderedManifests parse(String yaml) {
        List<Manifest> parsed = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> docs =
                     YAML.readerFor(new TypeReference<Map<String, Object>>() { }).readValues(yaml)) {
            while (docs.hasNext()) {
                Map<String, Object> doc = docs.next();
                if (doc != null && !doc.isEmpty()) {
                    parsed.add(new Manifest(doc));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered YAML does not parse", e);
        }
        return new RenderedManifests(parsed);
    }

    List<Manifest> all() {
        return manifests;
    }

    List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.kind())).toList();
    }

    Optional<Manifest> find(String kind, String name) {
        return ofKind(kind).stream().filter(m -> name.equals(m.name())).findFirst();
    }

    Manifest single(String kind) {
        List<Manifest> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected exactly one " + kind + " but rendered " + found.size());
        }
        return found.get(0);
    }

    /** One rendered object with path-style access: {@code get("spec", "template", "spec")}. */
    record Manifest(Map<String, Object> body) {

        String kind() {
            return (String) body.get("kind");
        }

        String name() {
            return (String) metadata().get("name");
        }

        String namespace() {
            return (String) metadata().get("namespace");
        }

        Map<String, Object> metadata() {
            return map(body.get("metadata"));
        }

        Object get(Object... path) {
            Object node = body;
            for (Object step : path) {
                if (node == null) {
                    return null;
                }
                node = step instanceof Integer index ? ((List<?>) node).get(index) : map(node).get(step);
            }
            return node;
        }

        Map<String, Object> getMap(Object... path) {
            return map(Objects.requireNonNull(get(path), () -> kind() + "/" + name() + " lacks " + List.of(path)));
        }

        List<Map<String, Object>> getList(Object... path) {
            Object list = get(path);
            if (list == null) {
                return List.of();
            }
            return ((List<?>) list).stream().map(RenderedManifests::map).toList();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }
}

package com.storageos.etcd.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A manifest under deploy/examples. Its leading comment may say {@code # expect: <message>} (the request
 * must be refused with that message) and {@code # transition: <text>} (two YAML documents: the stored
 * object, then the update that must be checked against it).
 */
record AdmissionExample(Path file, Optional<String> expect, boolean transition, List<Map<String, Object>> documents) {

    static AdmissionExample read(Path file) {
        try {
            String text = Files.readString(file);
            List<String> header = text.lines().takeWhile(line -> line.startsWith("#")).toList();
            Optional<String> expect = header.stream().filter(line -> line.startsWith("# expect: "))
                    .map(line -> line.substring("# expect: ".length()).strip()).findFirst();
            boolean transition = header.stream().anyMatch(line -> line.startsWith("# transition: "));
            @SuppressWarnings({"unchecked", "rawtypes"})
            List<Map<String, Object>> documents = (List) new ObjectMapper(new YAMLFactory()).readerFor(Map.class)
                    .readValues(text).readAll();
            return new AdmissionExample(file, expect, transition, documents);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object a create sends, or the update of a transition example. */
    Map<String, Object> object() {
        return documents.get(documents.size() - 1);
    }

    /** The stored object of a transition example. */
    Map<String, Object> stored() {
        return documents.get(0);
    }

    @Override
    public String toString() {
        return file.getFileName().toString();
    }
}

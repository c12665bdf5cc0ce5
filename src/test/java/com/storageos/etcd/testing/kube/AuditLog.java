package com.storageos.etcd.testing.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The API server's audit log, read back: what a user asked for and what the server answered. */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection");
    private final Path file;

    AuditLog(Path file) {
        this.file = file;
    }

    /** One request: who, what, and the response code. */
    public record Entry(String user, String verb, String uri, String resource, String subresource, int code, String message) {
        public boolean write() {
            return WRITES.contains(verb);
        }

        @Override
        public String toString() {
            return verb + " " + uri + " -> " + code + (message == null ? "" : " " + message);
        }
    }

    public List<Entry> entries() {
        try {
            // The API server may be writing its next entry right now: only the lines it finished (ended by a newline) are read.
            String text = Files.readString(file);
            return text.substring(0, text.lastIndexOf('\n') + 1).lines().filter(l -> !l.isBlank()).map(AuditLog::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Requests by the user that the server refused: RBAC (403), validation (422), bad requests (400), methods (405, 415). */
    public List<Entry> refused(String user) {
        return entries().stream().filter(e -> e.user().equals(user))
                .filter(e -> e.code() == 400 || e.code() == 403 || e.code() == 405 || e.code() == 415 || e.code() == 422).toList();
    }

    /** Write requests by the user, whatever the answer (a delete of an absent object is a request too). */
    public List<Entry> writes(String user) {
        return entries().stream().filter(e -> e.user().equals(user) && e.write()).toList();
    }

    public static String serviceAccountUser(String namespace, String name) {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    private static Entry parse(String line) {
        try {
            JsonNode e = JSON.readTree(line);
            JsonNode ref = e.path("objectRef");
            JsonNode status = e.path("responseStatus");
            return new Entry(e.path("user").path("username").asText(), e.path("verb").asText(), e.path("requestURI").asText(),
                    ref.path("resource").asText(null), ref.path("subresource").asText(null), status.path("code").asInt(0),
                    status.path("message").asText(null));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}

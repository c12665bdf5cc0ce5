package com.storageos.etcd.tool.bootstrap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.storageos.etcd.naming.MemberAddressing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders etcd's configuration file from the operator's template plus this member's identity and
 * membership. JSON is valid YAML, which is what etcd's {@code --config-file} reads.
 */
final class MemberConfigFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MemberConfigFile() {
    }

    static Map<String, Object> render(String templateJson, String name, int ordinal, String initialCluster, String state) throws IOException {
        Map<String, Object> template = JSON.readValue(templateJson, new TypeReference<Map<String, Object>>() { });
        Map<String, Object> config = new TreeMap<>();
        template.forEach((key, value) -> config.put(key,
                value instanceof String s ? s.replace(MemberAddressing.ORDINAL, Integer.toString(ordinal)) : value));
        config.put("name", name);
        config.put("initial-cluster", initialCluster);
        config.put("initial-cluster-state", state);
        return config;
    }

    static void write(Path file, Map<String, Object> config) throws IOException {
        // etcd creates its data dir owner-only and warns about a wider one.
        Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String ownPeerUrl(Map<String, Object> config) {
        return String.valueOf(config.get("initial-advertise-peer-urls")).split(",")[0];
    }
}

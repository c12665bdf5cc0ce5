package com.storageos.etcd.testing.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @Test
    void anEntryTheApiServerIsStillWritingIsNotReadYet(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audit.log");
        Files.writeString(file, "{\"verb\":\"patch\",\"requestURI\":\"/api/v1/pods\",\"user\":{\"username\":\"op\"},\"responseStatus\":{\"code\":200}}\n"
                + "{\"verb\":\"create\",\"requestURI\":\"/api/v1/namesp");
        assertThat(new AuditLog(file).entries()).extracting(AuditLog.Entry::verb).containsExactly("patch");
    }
}

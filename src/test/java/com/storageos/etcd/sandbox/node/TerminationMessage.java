package com.storageos.etcd.sandbox.node;

import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The message a kubelet reports with a terminated container: what the container wrote to its termination message path,
 * or, with {@code terminationMessagePolicy: FallbackToLogsOnError}, an error exit and nothing written, the tail of its log
 * (at most 80 lines and 2048 bytes, the kubelet's limits).
 */
final class TerminationMessage {
    private static final int MAX_LINES = 80;
    private static final int MAX_BYTES = 2048;

    private TerminationMessage() {
    }

    static String of(Container c, int exitCode, Path messageFile, Path log) throws IOException {
        String written = Files.exists(messageFile) ? Files.readString(messageFile) : "";
        if (!written.isEmpty() || exitCode == 0 || !"FallbackToLogsOnError".equals(c.getTerminationMessagePolicy()) || !Files.exists(log)) {
            return written.isEmpty() ? null : written;
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size()));
        byte[] bytes = tail.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_BYTES ? tail : new String(bytes, bytes.length - MAX_BYTES, MAX_BYTES, StandardCharsets.UTF_8);
    }
}

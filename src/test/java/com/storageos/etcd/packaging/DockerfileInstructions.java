package com.storageos.etcd.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The instructions of a Dockerfile, one string each: comments dropped, continuation lines joined. */
final class DockerfileInstructions {

    private DockerfileInstructions() {
    }

    static List<String> read(Path dockerfile) {
        try {
            return parse(Files.readAllLines(dockerfile));
        } catch (IOException e) {
            throw new UncheckedIOException(dockerfile + " is missing or unreadable", e);
        }
    }

    static List<String> parse(List<String> lines) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line).append(continues ? " " : "");
            if (!continues) {
                instructions.add(current.toString().replaceAll("\\s+", " ").trim());
                current.setLength(0);
            }
        }
        return instructions;
    }
}

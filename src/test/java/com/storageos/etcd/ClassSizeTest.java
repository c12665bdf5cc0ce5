package com.storageos.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The house's size rule, kept by the build: every source file, production and test, under 250 lines. */
class ClassSizeTest {
    static final int MAX_LINES = 249;

    @Test
    void everyClassIsUnder250Lines() throws IOException {
        List<String> tooLong;
        try (Stream<Path> files = Stream.concat(Files.walk(Path.of("src/main/java")), Files.walk(Path.of("src/test/java")))) {
            tooLong = files.filter(p -> p.toString().endsWith(".java")).filter(p -> lines(p) > MAX_LINES)
                    .map(p -> p + " (" + lines(p) + " lines)").sorted().toList();
        }
        assertThat(tooLong).as("split these by what their parts do").isEmpty();
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new IllegalStateException(file.toString(), e);
        }
    }
}

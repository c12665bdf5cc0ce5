package com.storageos.etcd.tool.bootstrap;

import com.storageos.etcd.toolcontract.BootstrapReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The copies of a member's data moved aside on its volume ({@code <data>.stale-<epoch ms>}, {@code <data>.before-recovery-<epoch
 * ms>}), within bounds: at most {@link #KEPT} of each kind. The oldest goes first, and only once newer ones exist, so the
 * newest copy is never deleted; the summary goes to the operator in the bootstrap's report.
 */
final class MovedAsideCopies {
    /** Copies kept of each kind: the one just moved aside and the one before it. */
    static final int KEPT = 2;
    private static final List<String> KINDS = List.of(".stale-", ".before-recovery-");

    private final Path dataDir;

    MovedAsideCopies(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Deletes the oldest copies of each kind beyond {@link #KEPT}, each with its marker. */
    void prune() throws IOException {
        for (String kind : KINDS) {
            List<Copy> copies = copies(kind);
            for (Copy old : copies.subList(Math.min(KEPT, copies.size()), copies.size())) {
                deleteTree(old.path());
                Files.deleteIfExists(old.path().resolveSibling(old.path().getFileName() + ".member"));
                System.out.println("bootstrap: deleted " + old.path() + ", the oldest of more than " + KEPT + " copies moved aside");
            }
        }
    }

    /** The report line: how many copies are kept, their bytes, and when the oldest was moved aside; empty without any. */
    Optional<String> summary() throws IOException {
        List<Copy> all = new ArrayList<>();
        for (String kind : KINDS) {
            all.addAll(copies(kind));
        }
        if (all.isEmpty()) {
            return Optional.empty();
        }
        long bytes = 0;
        for (Copy c : all) {
            bytes += size(c.path());
        }
        Instant oldest = all.stream().map(Copy::movedAt).min(Comparator.naturalOrder()).orElseThrow();
        return Optional.of(BootstrapReport.keptAside(all.size(), bytes, oldest));
    }

    private record Copy(Path path, Instant movedAt) { }

    /** Newest first. */
    private List<Copy> copies(String kind) throws IOException {
        Path parent = dataDir.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        Pattern name = Pattern.compile(Pattern.quote(dataDir.getFileName() + kind) + "(\\d+)");
        try (Stream<Path> siblings = Files.list(parent)) {
            return siblings.filter(Files::isDirectory).map(p -> {
                Matcher m = name.matcher(p.getFileName().toString());
                return m.matches() ? new Copy(p, Instant.ofEpochMilli(Long.parseLong(m.group(1)))) : null;
            }).filter(c -> c != null).sorted(Comparator.comparing(Copy::movedAt).reversed()).toList();
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

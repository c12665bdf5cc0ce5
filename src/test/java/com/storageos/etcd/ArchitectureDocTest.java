package com.storageos.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/architecture.md's package table names every package, or a package that holds it, so that a newcomer finds each one. */
class ArchitectureDocTest {
    private static final Path SOURCES = Path.of("src/main/java/com/storageos/etcd");
    /** A table row's first cell, and each `package/` in it. */
    private static final Pattern ROW = Pattern.compile("^\\| ([^|]+) \\|", Pattern.MULTILINE);
    private static final Pattern NAME = Pattern.compile("`([a-z0-9/]+)/`");

    @Test
    void everyPackageIsInThePackageTable() throws IOException {
        Set<String> listed = listed(Files.readString(Path.of("docs/architecture.md")));
        assertThat(packages()).allSatisfy(p -> assertThat(covered(p, listed)).as("%s in docs/architecture.md's package table", p).isTrue());
    }

    @Test
    void thePackageTableNamesNoPackageThatIsGone() throws IOException {
        List<String> packages = packages();
        assertThat(listed(Files.readString(Path.of("docs/architecture.md"))))
                .allSatisfy(l -> assertThat(packages).as("packages under %s", l).anyMatch(p -> p.equals(l) || p.startsWith(l + "/")));
    }

    private static Set<String> listed(String doc) {
        String table = doc.substring(doc.indexOf("## Where things live"), doc.indexOf("\n## ", doc.indexOf("## Where things live") + 1));
        Set<String> names = new TreeSet<>();
        Matcher row = ROW.matcher(table);
        while (row.find()) {
            Matcher name = NAME.matcher(row.group(1));
            while (name.find()) {
                names.add(name.group(1));
            }
        }
        return names;
    }

    /** A package is covered by its own row or by a row of a package that holds it (api/ holds api/v1alpha1/spec/). */
    private static boolean covered(String pkg, Set<String> listed) {
        return listed.stream().anyMatch(l -> pkg.equals(l) || pkg.startsWith(l + "/"));
    }

    /** Every package under com.storageos.etcd that holds a class, as a path ("reconciler/etcdcluster"). */
    private static List<String> packages() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(f -> SOURCES.relativize(f.getParent()).toString().replace('\\', '/'))
                    .filter(p -> !p.isEmpty()).collect(Collectors.toCollection(TreeSet::new)).stream().toList();
        }
    }
}

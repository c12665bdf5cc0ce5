package com.storageos.etcd;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/architecture.md, "Layers": the order the packages depend on each other in, and no cycle between them. */
class ArchitectureTest {
    private static final String ROOT = "com.storageos.etcd";
    private static final Path SOURCES = Path.of("src/main/java/com/storageos/etcd");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?com\\.storageos\\.etcd\\.([a-z0-9.]+?)\\.[A-Z]", Pattern.MULTILINE);

    /** A layer: its top-level packages under com.storageos.etcd ("" is the root package), and the layers it may use. */
    private record Layer(String name, List<String> packages, List<String> mayUse) { }

    /** Bottom to top; a layer uses its own packages and those of the layers it names, nothing above. */
    private static final List<Layer> LAYERS = List.of(
            new Layer("model", List.of("api"), List.of()),
            new Layer("foundation", List.of("naming", "toolcontract", "tls"), List.of("model")),
            new Layer("membership", List.of("membership"), List.of("model", "foundation")),
            new Layer("status", List.of("status"), List.of("model", "foundation", "membership")),
            new Layer("desired", List.of("desired"), List.of("model", "foundation", "membership")),
            new Layer("clients", List.of("etcdclient", "clusterstatus", "events", "metrics"), List.of("model", "foundation")),
            new Layer("operator", List.of("", "reconciler", "tool", "config", "cli"), List.of("model", "foundation", "membership", "status",
                    "desired", "clients")));

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (Layer layer : LAYERS) {
            rule = rule.layer(layer.name()).definedBy(layer.packages().stream().map(p -> p.isEmpty() ? ROOT : ROOT + "." + p + "..")
                    .toArray(String[]::new));
        }
        for (Layer layer : LAYERS) {
            rule = layer.mayUse().isEmpty() ? rule.whereLayer(layer.name()).mayNotAccessAnyLayer()
                    : rule.whereLayer(layer.name()).mayOnlyAccessLayers(layer.mayUse().toArray(String[]::new));
        }
        rule.check(mainClasses);
    }

    /**
     * The plugin (cli/) is packaged apart (target/kubectl-etcd) with the fabric8 client alone, and runs outside the
     * operator: nothing else uses it, and it uses only the pure layers, whose classes need nothing the jar leaves out.
     */
    @Test
    void thePluginStandsApart() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".cli..").should().dependOnClassesThat().resideInAPackage(ROOT + ".cli..")
                .check(mainClasses);
        noClasses().that().resideInAPackage(ROOT + ".cli..").should().dependOnClassesThat().resideInAnyPackage(
                ROOT + ".reconciler..", ROOT + ".tool..", ROOT + ".config..", ROOT + ".etcdclient..", ROOT + ".clusterstatus..",
                ROOT + ".events..", ROOT + ".metrics..", "io.quarkus..", "io.javaoperatorsdk..", "io.etcd..")
                .check(mainClasses);
    }

    /** The bytecode does not show a compile-time constant (javac copies its value in): the imports do. */
    @Test
    void eachLayerImportsOnlyFromTheLayersBelowIt() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Optional<Layer> from = layerOf(topPackage(SOURCES.relativize(file.getParent()).toString().replace('/', '.')));
                Matcher imported = IMPORT.matcher(Files.readString(file));
                while (from.isPresent() && imported.find()) {
                    Optional<Layer> to = layerOf(topPackage(imported.group(1)));
                    if (to.isPresent() && to.get() != from.get() && !from.get().mayUse().contains(to.get().name())) {
                        violations.add(file + " (" + from.get().name() + ") imports " + imported.group(1) + " (" + to.get().name() + ")");
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(mainClasses);
    }

    /**
     * Nor between any two packages at any depth (reconciler.etcdcluster and its sub-packages, tool and its modes, ...).
     * One known exception, left to issue 31's backup and restore work: tool/backup's restore check restores through
     * tool/restore, which reads tool/backup's names and verified snapshots.
     */
    @Test
    void noCyclesBetweenAnyTwoPackages() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles()
                .ignoreDependency(name(ROOT + ".tool.backup.RestoreCheck"), resideInAPackage(ROOT + ".tool.restore"))
                .check(mainClasses);
    }

    /** Every package under com.storageos.etcd is in a layer, so that none escapes the rules above. */
    @Test
    void everyPackageIsInALayer() throws IOException {
        assertThat(packages().stream().filter(p -> layerOf(p).isEmpty()).toList()).isEmpty();
    }

    /** The top-level packages under com.storageos.etcd that hold a class. */
    static List<String> packages() throws IOException {
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            return dirs.filter(Files::isDirectory).filter(ArchitectureTest::holdsJava).map(d -> d.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean holdsJava(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String topPackage(String relative) {
        return relative.isEmpty() ? "" : relative.split("\\.")[0];
    }

    private static Optional<Layer> layerOf(String topPackage) {
        return LAYERS.stream().filter(l -> l.packages().contains(topPackage)).findFirst();
    }
}

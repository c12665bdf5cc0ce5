package com.storageos.etcd.packaging;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the Kubernetes resources that the operator's own code reads and writes, by reading its Java sources:
 * fabric8 client DSL chains ({@code client.apps().statefulSets()...delete()}), {@code resources(X.class)} and
 * {@code resource(obj)}, JOSDK informer sources, dependent resources and reconciler primary types.
 * It is regex over source, blind to chains split across variables: it finds what a reviewer would find by grep.
 */
final class ClientUsageScanner {

    /** Typed DSL entry points of the fabric8 client and the resource each one reaches. */
    private static final Map<Pattern, KubeResource> TYPED_ACCESSORS = Map.ofEntries(
            Map.entry(dsl("\\.events\\(\\)\\.v1\\(\\)\\.events\\(\\)"), KubeResource.of("events.k8s.io", "events")),
            Map.entry(dsl("(?<!\\.events\\(\\)\\.v1\\(\\))\\.events\\(\\)(?!\\.v1\\(\\))"), KubeResource.core("events")),
            Map.entry(dsl("\\.statefulSets\\(\\)"), KubeResource.of("apps", "statefulsets")),
            Map.entry(dsl("\\.deployments\\(\\)"), KubeResource.of("apps", "deployments")),
            Map.entry(dsl("\\.services\\(\\)"), KubeResource.core("services")),
            Map.entry(dsl("\\.pods\\(\\)"), KubeResource.core("pods")),
            Map.entry(dsl("\\.persistentVolumeClaims\\(\\)"), KubeResource.core("persistentvolumeclaims")),
            Map.entry(dsl("\\.secrets\\(\\)"), KubeResource.core("secrets")),
            Map.entry(dsl("\\.configMaps\\(\\)"), KubeResource.core("configmaps")),
            Map.entry(dsl("\\.serviceAccounts\\(\\)"), KubeResource.core("serviceaccounts")),
            Map.entry(dsl("\\.roles\\(\\)"), KubeResource.of("rbac.authorization.k8s.io", "roles")),
            Map.entry(dsl("\\.roleBindings\\(\\)"), KubeResource.of("rbac.authorization.k8s.io", "rolebindings")),
            Map.entry(dsl("\\.podDisruptionBudgets\\(\\)"), KubeResource.of("policy", "poddisruptionbudgets")),
            Map.entry(dsl("\\.cron[jJ]obs\\(\\)"), KubeResource.of("batch", "cronjobs")),
            Map.entry(dsl("\\.jobs\\(\\)"), KubeResource.of("batch", "jobs")),
            Map.entry(dsl("\\.leases\\(\\)"), KubeResource.of("coordination.k8s.io", "leases")));

    private static final Pattern RESOURCES_OF_CLASS = dsl("\\.resources\\((\\w+)\\.class");
    private static final Pattern RESOURCE_OF_OBJECT = dsl("\\.resource\\(((?:[^();]|\\([^();]*\\))*)\\)");
    private static final Pattern NEW_OBJECT = Pattern.compile("new\\s+([A-Z]\\w*)\\b.*");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_]\\w*");
    private static final Pattern INFORMER_SOURCE = dsl("InformerEventSourceConfiguration\\.from\\((\\w+)\\.class");
    private static final Pattern DEPENDENT = dsl("\\b(CRUD(?:NoGC)?)?KubernetesDependentResource<(\\w+)");
    private static final Pattern CONTROLLER = dsl("@ControllerConfiguration\\b");
    private static final Pattern RECONCILER = dsl("\\bReconciler<(\\w+)>");

    private static final Pattern EVICT = Pattern.compile("\\.evict\\(");
    private static final Set<String> READ = Set.of("get", "list", "watch");
    private static final Set<String> ALL_VERBS = Set.of("get", "list", "watch", "create", "patch", "update", "delete");

    private final List<ClientUsage> usages = new ArrayList<>();
    private final List<String> unresolved = new ArrayList<>();

    private ClientUsageScanner() {
    }

    static ScanResult scanSourceTree(Path root) {
        if (!Files.isDirectory(root)) {
            return new ScanResult(List.of(), List.of());
        }
        try (Stream<Path> files = Files.walk(root)) {
            return scan(files.filter(p -> p.toString().endsWith(".java")).sorted().map(JavaSourceFile::read).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ScanResult scan(List<JavaSourceFile> sources) {
        ClientUsageScanner scanner = new ClientUsageScanner();
        sources.forEach(scanner::scanFile);
        return new ScanResult(List.copyOf(scanner.usages), List.copyOf(scanner.unresolved));
    }

    private void scanFile(JavaSourceFile file) {
        String code = compact(file.code());
        String where = file.path().getFileName().toString();
        TYPED_ACCESSORS.forEach((pattern, resource) -> {
            Matcher m = pattern.matcher(code);
            while (m.find()) {
                recordChain(resource, code, m.end(), where);
            }
        });
        Matcher ofClass = RESOURCES_OF_CLASS.matcher(code);
        while (ofClass.find()) {
            int chainStart = ofClass.end();
            resolve(file, ofClass.group(1), where).ifPresent(r -> recordChain(r, code, chainStart, where));
        }
        Matcher ofObject = RESOURCE_OF_OBJECT.matcher(code);
        while (ofObject.find()) {
            if (followsTypedAccessor(code, ofObject.start())) {
                continue; // client.pods().inNamespace(ns).resource(pod): already found through pods()
            }
            int chainStart = ofObject.end();
            typeOfExpression(file, ofObject.group(1).trim())
                    .flatMap(type -> resolve(file, type, where))
                    .ifPresentOrElse(r -> recordChain(r, code, chainStart, where),
                            () -> unresolved.add(where + ": resource(" + ofObject.group(1).trim() + ")"));
        }
        scanJosdk(file, code, where);
    }

    private void scanJosdk(JavaSourceFile file, String code, String where) {
        Matcher informer = INFORMER_SOURCE.matcher(code);
        while (informer.find()) {
            resolve(file, informer.group(1), where).ifPresent(r -> record(r, READ, where + " (informer)"));
        }
        Matcher dependent = DEPENDENT.matcher(code);
        while (dependent.find()) {
            Set<String> verbs = dependent.group(1) == null ? READ : ALL_VERBS;
            resolve(file, dependent.group(2), where).ifPresent(r -> record(r, verbs, where + " (dependent)"));
        }
        Matcher reconciler = RECONCILER.matcher(code);
        if (CONTROLLER.matcher(code).find() && reconciler.find()) {
            resolve(file, reconciler.group(1), where).ifPresent(primary -> {
                record(primary, Set.of("get", "list", "watch", "patch", "update"), where + " (primary)");
                record(primary.status(), Set.of("get", "patch", "update"), where + " (primary status)");
                record(primary.finalizers(), Set.of("update"), where + " (primary finalizers)");
            });
        }
    }

    /** Records the resource with the verbs called on the rest of its statement. */
    private void recordChain(KubeResource resource, String code, int chainStart, String where) {
        int end = code.indexOf(';', chainStart);
        String chain = code.substring(chainStart, end < 0 ? code.length() : end);
        ChainVerbs verbs = ChainVerbs.of(chain);
        record(resource, verbs.onResource(), where);
        if (!verbs.onStatus().isEmpty()) {
            record(resource.status(), verbs.onStatus(), where);
        }
        if (EVICT.matcher(chain).find()) {
            record(resource.eviction(), Set.of("create"), where); // pods().withName(n).evict(...): a create of pods/eviction
        }
    }

    private void record(KubeResource resource, Set<String> verbs, String where) {
        usages.add(new ClientUsage(resource, verbs, where));
    }

    private Optional<KubeResource> resolve(JavaSourceFile file, String simpleName, String where) {
        Optional<Class<?>> type = file.resolveClass(simpleName).filter(HasMetadata.class::isAssignableFrom);
        if (type.filter(GenericKubernetesResource.class::equals).isPresent()) {
            // An untyped object: its real kind is named at run time, so the scan cannot tell it.
            unresolved.add(where + ": " + simpleName + " is untyped; its kind is asserted by the chart tests");
            return Optional.empty();
        }
        if (type.isEmpty()) {
            unresolved.add(where + ": " + simpleName + " is not a loadable HasMetadata class");
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Class<? extends HasMetadata> kind = (Class<? extends HasMetadata>) type.get();
        return Optional.of(KubeResource.of(HasMetadata.getGroup(kind), HasMetadata.getPlural(kind)));
    }

    private static boolean followsTypedAccessor(String code, int position) {
        int statementStart = Math.max(code.lastIndexOf(';', position),
                Math.max(code.lastIndexOf('{', position), code.lastIndexOf('}', position)));
        String before = code.substring(statementStart + 1, position);
        return RESOURCES_OF_CLASS.matcher(before).find()
                || TYPED_ACCESSORS.keySet().stream().anyMatch(p -> p.matcher(before).find());
    }

    private static Optional<String> typeOfExpression(JavaSourceFile file, String expression) {
        Matcher created = NEW_OBJECT.matcher(expression);
        if (created.matches()) {
            return Optional.of(created.group(1));
        }
        return IDENTIFIER.matcher(expression).matches() ? file.declaredTypeOf(expression) : Optional.empty();
    }

    /** Drops the whitespace around dots and parentheses so a chain split over lines reads as one. */
    private static String compact(String code) {
        return code.replaceAll("\\s*\\.\\s*", ".").replaceAll("\\(\\s+", "(").replaceAll("\\s+\\)", ")");
    }

    private static Pattern dsl(String regex) {
        return Pattern.compile(regex);
    }

    /** One place in the code that touches a resource, and the verbs it needs there. */
    record ClientUsage(KubeResource resource, Set<String> verbs, String where) {
    }

    record ScanResult(List<ClientUsage> usages, List<String> unresolved) {
    }
}

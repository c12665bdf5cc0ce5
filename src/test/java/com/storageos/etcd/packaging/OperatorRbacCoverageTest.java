package com.storageos.etcd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.packaging.ClientUsageScanner.ClientUsage;
import com.storageos.etcd.packaging.ClientUsageScanner.ScanResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC covers what the operator's code touches, derived from the code by {@link ClientUsageScanner},
 * and grants exactly the designed access list in {@link OperatorAccess}, nothing more.
 */
class OperatorRbacCoverageTest {

    private static final Path MAIN_SOURCES = Path.of("src", "main", "java");

    private static ScanResult scan;
    private static RenderedManifests defaults;
    private static RenderedManifests namespaced;

    @BeforeAll
    static void scanAndRender() {
        scan = ClientUsageScanner.scanSourceTree(MAIN_SOURCES);
        defaults = HelmChart.withDefaults().render();
        namespaced = HelmChart.withDefaults().withValuesFile(HelmChart.ALL_OPTIONAL_PARTS).render();
        System.out.println(report(scan));
    }

    @Test
    void clusterRoleCoversEveryResourceTheCodeTouches() {
        PolicyRules clusterRoles = PolicyRules.of(operatorClusterRoles(defaults));

        assertThat(missingRules(clusterRoles, false)).as("ClusterRole misses rules for code in %s", MAIN_SOURCES).isEmpty();
    }

    @Test
    void watchedNamespaceRoleCoversEveryResourceTheCodeTouches() {
        PolicyRules teamA = PolicyRules.of(rolesIn(namespaced, "team-a"));

        assertThat(missingRules(teamA, false)).as("Role in team-a misses rules for code in %s", MAIN_SOURCES).isEmpty();
    }

    @Test
    void clusterRoleGrantsExactlyTheDesignedAccess() {
        PolicyRules clusterRoles = PolicyRules.of(operatorClusterRoles(defaults));

        assertGrantsExactly(clusterRoles, OperatorAccess.PER_CLUSTER_NAMESPACE);
        assertGrantsExactly(clusterRoles, OperatorAccess.STORAGEOS_SYNC);
        Set<KubeResource> designed = new TreeSet<>(OperatorAccess.PER_CLUSTER_NAMESPACE.keySet());
        designed.addAll(OperatorAccess.STORAGEOS_SYNC.keySet());
        designed.add(OperatorAccess.CRDS);
        assertThat(clusterRoles.resources()).as("resources granted beyond the designed access").isSubsetOf(designed);
        assertThat(clusterRoles.mentions("coordination.k8s.io", "leases"))
                .as("leases belong in a Role in the release namespace, not in a ClusterRole").isFalse();
    }

    @Test
    void leaderElectionRoleLivesInTheReleaseNamespace() {
        PolicyRules releaseRoles = PolicyRules.of(rolesIn(defaults, HelmChart.RELEASE_NAMESPACE));

        assertGrantsExactly(releaseRoles, OperatorAccess.LEADER_ELECTION);
        assertThat(missingRules(releaseRoles, true)).as("the release namespace's Role misses rules for code in %s", MAIN_SOURCES).isEmpty();
        assertThat(releaseRoles.mentions(OperatorAccess.ETCD_GROUP, "etcdclusters")).isFalse();
    }

    @Test
    void watchNamespacesGetOneRoleEachAndNoClusterWideEtcdAccess() {
        for (String namespace : List.of("team-a", "team-b")) {
            PolicyRules roles = PolicyRules.of(rolesIn(namespaced, namespace));
            assertGrantsExactly(roles, OperatorAccess.PER_CLUSTER_NAMESPACE);
            assertGrantsExactly(roles, OperatorAccess.STORAGEOS_SYNC);
            assertThat(namespaced.ofKind("RoleBinding")).anySatisfy(binding -> {
                assertThat(binding.namespace()).isEqualTo(namespace);
                assertThat(binding.get("subjects", 0, "namespace")).isEqualTo(HelmChart.RELEASE_NAMESPACE);
            });
        }
        PolicyRules clusterRoles = PolicyRules.of(operatorClusterRoles(namespaced));
        OperatorAccess.PER_CLUSTER_NAMESPACE.keySet().forEach(resource ->
                assertThat(clusterRoles.verbsOn(resource.group(), resource.resource()))
                        .as("cluster-wide verbs on %s with watchNamespaces set", resource).isEmpty());
        assertThat(PolicyRules.of(rolesIn(namespaced, "kube-system")).verbsOn("storageos.com", "storageosclusters"))
                .as("StorageOS-only namespace").isEqualTo(new TreeSet<>(OperatorAccess.STORAGEOS_SYNC.get(OperatorAccess.STORAGEOS_CLUSTERS)));
        // The StorageOS node pods are listed there: a migration removes no external member while one runs on the old address.
        assertThat(PolicyRules.of(rolesIn(namespaced, "kube-system")).verbsOn("", "pods")).as("StorageOS node pods").containsExactly("list");
        // spec.storageos.nodeRestart Evict: the operator evicts them there, one at a time, after a migration's switch.
        assertThat(PolicyRules.of(rolesIn(namespaced, "kube-system")).verbsOn("", "pods/eviction")).as("StorageOS node pod evictions")
                .containsExactly("create");
    }

    @Test
    void storageosRulesOnlyWhenSyncIsEnabled() {
        RenderedManifests syncOff = HelmChart.withDefaults().set("storageos.sync.enabled", false).render();
        List<RenderedManifests.Manifest> allRoles = new ArrayList<>(syncOff.ofKind("ClusterRole"));
        allRoles.addAll(syncOff.ofKind("Role"));

        assertThat(PolicyRules.of(allRoles).mentions("storageos.com", "storageosclusters")).isFalse();
        assertThat(PolicyRules.of(syncOff.ofKind("ClusterRole")).verbsOn(OperatorAccess.ETCD_GROUP, "etcdclusters"))
                .contains("get");
    }

    /** @param leaderElection the Lease the replicas share, which lives in the release namespace; else everything else */
    private static List<String> missingRules(PolicyRules rules, boolean leaderElection) {
        List<String> missing = new ArrayList<>();
        for (ClientUsage usage : scan.usages()) {
            if (usage.resource().resource().equals("leases") != leaderElection) {
                continue;
            }
            for (String verb : requiredVerbs(usage)) {
                if (!rules.allows(usage.resource().group(), usage.resource().resource(), verb)) {
                    missing.add("missing rule: apiGroup \"%s\" resource \"%s\" verb \"%s\" (needed by %s)"
                            .formatted(usage.resource().group(), usage.resource().resource(), verb, usage.where()));
                }
            }
        }
        return missing;
    }

    /** What the code calls, and always get: the operator reads what it manages. Events are only written. */
    static Set<String> requiredVerbs(ClientUsage usage) {
        Set<String> verbs = new TreeSet<>(usage.verbs());
        if (!usage.resource().isWriteOnly()) {
            verbs.add("get");
        } else if (verbs.isEmpty()) {
            verbs.add("create");
        }
        return verbs;
    }

    private static void assertGrantsExactly(PolicyRules rules, Map<KubeResource, Set<String>> expected) {
        expected.forEach((resource, verbs) -> assertThat(rules.verbsOn(resource.group(), resource.resource()))
                .as("verbs granted on %s", resource)
                .isEqualTo(new TreeSet<>(verbs)));
    }

    @Test
    void namespaceUsersGetViewAndEditThroughKubernetesOwnRoles() {
        List<RenderedManifests.Manifest> aggregated = defaults.ofKind("ClusterRole").stream()
                .filter(OperatorRbacCoverageTest::aggregated).toList();
        PolicyRules view = PolicyRules.of(aggregated.stream().filter(r -> r.getMap("metadata", "labels")
                .containsKey(AGGREGATE + "view")).toList());
        PolicyRules edit = PolicyRules.of(aggregated.stream().filter(r -> r.getMap("metadata", "labels")
                .containsKey(AGGREGATE + "edit")).toList());

        assertThat(view.verbsOn(OperatorAccess.ETCD_GROUP, "etcdclusters")).containsExactly("get", "list", "watch");
        assertThat(edit.verbsOn(OperatorAccess.ETCD_GROUP, "etcdclusters")).contains("create", "patch", "delete").doesNotContain("get");
        assertThat(edit.verbsOn(OperatorAccess.ETCD_GROUP, "etcdclusters/scale")).contains("patch");
        assertThat(view.resources()).allSatisfy(r -> assertThat(r.group()).isEqualTo(OperatorAccess.ETCD_GROUP));
        assertThat(edit.resources()).as("nothing the operator creates: users change the EtcdCluster, the operator the rest")
                .allSatisfy(r -> assertThat(r.group()).isEqualTo(OperatorAccess.ETCD_GROUP));
        assertThat(HelmChart.withDefaults().set("rbac.aggregateToDefaultRoles", false).render().ofKind("ClusterRole"))
                .noneMatch(OperatorRbacCoverageTest::aggregated);
    }

    private static final String AGGREGATE = "rbac.authorization.k8s.io/aggregate-to-";

    /** A ClusterRole for namespace users, which Kubernetes' view, edit and admin roles take in; bound to no one here. */
    private static boolean aggregated(RenderedManifests.Manifest role) {
        return role.getMap("metadata", "labels").keySet().stream().anyMatch(k -> k.startsWith(AGGREGATE));
    }

    /** The ClusterRoles the operator's ServiceAccount is bound to. */
    private static List<RenderedManifests.Manifest> operatorClusterRoles(RenderedManifests manifests) {
        return manifests.ofKind("ClusterRole").stream().filter(r -> !aggregated(r)).toList();
    }

    private static List<RenderedManifests.Manifest> rolesIn(RenderedManifests manifests, String namespace) {
        return manifests.ofKind("Role").stream().filter(role -> namespace.equals(role.namespace())).toList();
    }

    private static String report(ScanResult result) {
        String found = result.usages().stream()
                .collect(Collectors.groupingBy(u -> u.resource().toString(), TreeMap::new,
                        Collectors.flatMapping(u -> requiredVerbs(u).stream(), Collectors.toCollection(TreeSet::new))))
                .entrySet().stream()
                .map(e -> "  " + e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("\n"));
        return "Kubernetes resources the operator code touches (scan of " + MAIN_SOURCES + "):\n"
                + (found.isEmpty() ? "  (none yet)" : found)
                + (result.unresolved().isEmpty() ? "" : "\nNot resolvable from source:\n  "
                + String.join("\n  ", result.unresolved()));
    }
}

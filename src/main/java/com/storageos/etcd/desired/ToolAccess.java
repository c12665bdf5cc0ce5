package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.BackupSpec;
import com.storageos.etcd.naming.ClusterNames;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The identity of the backup and defrag pods: read their own EtcdCluster, patch its status (to
 * record the outcome), create Events. Nothing else; S3 credentials come in as env from the Secret,
 * so the pods need no right to read Secrets, or from a cloud identity bound to this account.
 */
public final class ToolAccess {
    private static final String COMPONENT = "tool";

    private ToolAccess() {
    }

    public static ServiceAccount serviceAccount(EtcdCluster cluster) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        ServiceAccount account = new ServiceAccountBuilder()
                .withMetadata(ObjectMetas.owned(cluster, names.toolServiceAccount(), COMPONENT))
                .withAutomountServiceAccountToken(true)
                .build();
        // A cloud identity for the backups' S3 writes, e.g. IRSA's role ARN; per cluster, as the role trusts this account.
        Optional.ofNullable(cluster.getSpec().getBackup()).map(BackupSpec::getServiceAccountAnnotations).filter(a -> !a.isEmpty())
                .ifPresent(a -> account.getMetadata().setAnnotations(new TreeMap<>(a)));
        return account;
    }

    public static Role role(EtcdCluster cluster) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        return new RoleBuilder()
                .withMetadata(ObjectMetas.owned(cluster, names.toolServiceAccount(), COMPONENT))
                .withRules(rule(EtcdCluster.GROUP, "etcdclusters", names.cluster(), "get"),
                        rule(EtcdCluster.GROUP, "etcdclusters/status", names.cluster(), "patch"),
                        rule("", "events", null, "create"))
                .build();
    }

    public static RoleBinding roleBinding(EtcdCluster cluster) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        return new RoleBindingBuilder()
                .withMetadata(ObjectMetas.owned(cluster, names.toolServiceAccount(), COMPONENT))
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", names.toolServiceAccount())
                .addNewSubject().withKind("ServiceAccount").withName(names.toolServiceAccount())
                .withNamespace(names.namespace()).endSubject()
                .build();
    }

    private static PolicyRule rule(String group, String resource, String name, String verb) {
        PolicyRuleBuilder rule = new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verb);
        // Events get generated names, so "create" cannot be limited by resourceNames.
        return name == null ? rule.build() : rule.withResourceNames(name).build();
    }
}

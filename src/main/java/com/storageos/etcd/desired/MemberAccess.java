package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.ClusterNames;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;

/**
 * The identity of the member pods. Their bootstrap init container reads the recorded membership
 * from its own EtcdCluster, and may read nothing else.
 */
public final class MemberAccess {
    private MemberAccess() {
    }

    public static ServiceAccount serviceAccount(EtcdCluster cluster) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        return new ServiceAccountBuilder()
                .withMetadata(ObjectMetas.owned(cluster, names.memberServiceAccount(), "member"))
                .build();
    }

    public static Role role(EtcdCluster cluster) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        return new RoleBuilder()
                .withMetadata(ObjectMetas.owned(cluster, names.memberServiceAccount(), "member"))
                .withRules(new PolicyRuleBuilder()
                        .withApiGroups(EtcdCluster.GROUP)
                        .withResources("etcdclusters")
                        .withResourceNames(names.cluster())
                        .withVerbs("get")
                        .build())
                .build();
    }

    public static RoleBinding roleBinding(EtcdCluster cluster) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        return new RoleBindingBuilder()
                .withMetadata(ObjectMetas.owned(cluster, names.memberServiceAccount(), "member"))
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", names.memberServiceAccount())
                .addNewSubject().withKind("ServiceAccount").withName(names.memberServiceAccount())
                .withNamespace(names.namespace()).endSubject()
                .build();
    }
}

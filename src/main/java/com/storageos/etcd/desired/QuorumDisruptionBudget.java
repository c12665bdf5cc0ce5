package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.membership.QuorumMath;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/**
 * Keeps voluntary evictions (node drains, upgrades) from taking more members than quorum allows.
 * Sized from the voters etcd reports, not from spec.replicas, so that it is right mid-scale; while etcd
 * cannot be read, from the last recorded voters, so that it never loosens because the operator is blind.
 */
public final class QuorumDisruptionBudget {
    private QuorumDisruptionBudget() {
    }

    public static PodDisruptionBudget build(EtcdCluster cluster, int voters) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        return new PodDisruptionBudgetBuilder()
                .withMetadata(ObjectMetas.owned(cluster, names.disruptionBudget(), "member"))
                .withNewSpec()
                .withMinAvailable(new IntOrString(QuorumMath.quorum(Math.max(voters, 1))))
                .withNewSelector().withMatchLabels(Labels.memberSelector(names.cluster())).endSelector()
                .endSpec()
                .build();
    }
}

package com.storageos.etcd.desired;

import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;

/**
 * Members prefer distinct nodes, so that one node loss costs one member. Preferred rather than
 * required: a required rule leaves members Pending forever on clusters with fewer nodes.
 */
final class MemberAffinity {
    private MemberAffinity() {
    }

    static Affinity spreadAcrossNodes(ClusterNames names) {
        return new AffinityBuilder()
                .withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(100)
                .withNewPodAffinityTerm()
                .withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().withMatchLabels(Labels.memberSelector(names.cluster())).endLabelSelector()
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .build();
    }
}

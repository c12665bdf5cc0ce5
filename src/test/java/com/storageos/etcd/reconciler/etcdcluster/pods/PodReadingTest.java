package com.storageos.etcd.reconciler.etcdcluster.pods;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.desired.MemberStatefulSet;
import com.storageos.etcd.desired.MemberTemplateHash;
import com.storageos.etcd.desired.RenderSettings;
import com.storageos.etcd.naming.DnsMemberAddressing;
import com.storageos.etcd.naming.Labels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodReadingTest {
    private static final DnsMemberAddressing DNS = new DnsMemberAddressing("cluster.local");

    private static EtcdCluster cluster() {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("etcd").withNamespace("storageos").withUid("uid-1").build());
        return c;
    }

    private static StatefulSet sts(EtcdCluster cluster, String operatorImage) {
        return MemberStatefulSet.build(cluster, 3, new RenderSettings(operatorImage, "gcr.io/etcd-development/etcd", DNS, List.of(), false), null);
    }

    private static String hash(StatefulSet sts) {
        return sts.getSpec().getTemplate().getMetadata().getAnnotations().get(MemberTemplateHash.ANNOTATION);
    }

    /** A pod as the StatefulSet controller makes it from the template, labelled with the revision. */
    private static Pod podOf(StatefulSet sts, String revision) {
        Map<String, String> labels = new HashMap<>(sts.getSpec().getTemplate().getMetadata().getLabels());
        labels.put(Labels.REVISION, revision);
        return new PodBuilder().withNewMetadata().withName("etcd-0").withLabels(labels)
                .withAnnotations(sts.getSpec().getTemplate().getMetadata().getAnnotations()).endMetadata()
                .withSpec(sts.getSpec().getTemplate().getSpec()).build();
    }

    @Test
    void thePodsIpIsReadForPeerAddressingPodIp() {
        Pod pod = podOf(sts(cluster(), "operator:1.0"), "etcd-5d4f");
        assertThat(PodReading.read(pod, 0, null, null).ip()).as("not scheduled yet").isEmpty();
        pod.setStatus(new PodStatusBuilder().withPodIP("10.244.1.7").build());
        assertThat(PodReading.read(pod, 0, null, null).ip()).isEqualTo("10.244.1.7");
    }

    @Test
    void aPodFromBeforeAnOperatorUpgradeStillRunsTheCurrentTemplate() {
        Pod old = podOf(sts(cluster(), "operator:1.0"), "etcd-5d4f");
        StatefulSet upgraded = sts(cluster(), "operator:1.1");
        // The StatefulSet controller gives the upgraded template a new revision; only the init image differs.
        assertThat(PodReading.read(old, 0, "etcd-7b9c", hash(upgraded)).currentRevision()).isTrue();
    }

    @Test
    void aPodOfAnOlderSpecRunsAnOldTemplate() {
        Pod old = podOf(sts(cluster(), "operator:1.0"), "etcd-5d4f");
        EtcdCluster changed = cluster();
        changed.getSpec().setVersion("3.5.18");
        assertThat(PodReading.read(old, 0, "etcd-7b9c", hash(sts(changed, "operator:1.0"))).currentRevision()).isFalse();
    }

    @Test
    void aPodWithoutTheHashIsJudgedByTheStatefulSetRevision() {
        Pod unannotated = podOf(sts(cluster(), "operator:1.0"), "etcd-5d4f");
        unannotated.getMetadata().getAnnotations().remove(MemberTemplateHash.ANNOTATION);
        String wanted = hash(sts(cluster(), "operator:1.0"));
        assertThat(PodReading.read(unannotated, 0, "etcd-5d4f", wanted).currentRevision()).isTrue();
        assertThat(PodReading.read(unannotated, 0, "etcd-7b9c", wanted).currentRevision()).isFalse();
    }
}

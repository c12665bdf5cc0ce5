package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.desired.MemberTemplateHash;
import com.storageos.etcd.etcd.EtcdAdmin;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads everything the planner needs, fresh from the API server and etcd, into one immutable
 * {@link ClusterObservation}. Reads go straight to the API rather than informer caches so that the
 * planner never acts on a view older than its own last write.
 */
final class ObservationCollector {
    /** The observation, and the member pods it was read from (for writers that act on those same pods). */
    record Observed(ClusterObservation observation, List<Pod> pods) { }

    private final KubernetesClient client;
    private final EtcdMemberProbe probe = new EtcdMemberProbe();
    private final Clock clock;

    ObservationCollector(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    Observed observe(EtcdCluster cluster, ClusterNames names, MemberUrls urls, EtcdAdmin admin) {
        String ns = names.namespace();
        StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName(names.statefulSet()).get();
        List<Pod> pods = client.pods().inNamespace(ns).withLabels(Labels.memberSelector(names.cluster())).list().getItems();
        Set<Integer> claims = client.persistentVolumeClaims().inNamespace(ns).list().getItems().stream()
                .map(PersistentVolumeClaim::getMetadata)
                .filter(m -> m.getName().startsWith(ClusterNames.DATA_VOLUME + "-"))
                .map(m -> names.ordinalOf(m.getName().substring(ClusterNames.DATA_VOLUME.length() + 1)))
                .flatMap(Optional::stream).collect(Collectors.toSet());
        Optional<EtcdMemberProbe.Probed> probed = probe.probe(admin, urls::ordinalOfPeerUrl);
        Optional<List<ObservedMember>> members = probed.map(EtcdMemberProbe.Probed::members);
        // Until the StatefulSet controller has seen the latest template it may still create pods from the one
        // before: no pod counts as stale until then, or a pod restarted now could come back old and restart twice.
        boolean seen = sts != null && sts.getStatus() != null
                && java.util.Objects.equals(sts.getStatus().getObservedGeneration(), sts.getMetadata().getGeneration());
        String updateRevision = seen ? sts.getStatus().getUpdateRevision() : null;
        String templateHash = !seen || sts.getSpec().getTemplate().getMetadata() == null ? null
                : Optional.ofNullable(sts.getSpec().getTemplate().getMetadata().getAnnotations()).map(a -> a.get(MemberTemplateHash.ANNOTATION)).orElse(null);
        Map<Integer, PodState> podStates = new HashMap<>();
        for (Pod pod : pods) {
            names.ordinalOf(pod.getMetadata().getName())
                    .ifPresent(ordinal -> podStates.put(ordinal, PodReading.read(pod, ordinal, updateRevision, templateHash)));
        }
        int stsReplicas = sts == null ? -1 : Optional.ofNullable(sts.getSpec().getReplicas()).orElse(0);
        return new Observed(new ClusterObservation(members.isPresent(), members.orElse(List.of()), podStates, stsReplicas, claims,
                probed.map(EtcdMemberProbe.Probed::alarms).orElse(Set.of()), probed.map(EtcdMemberProbe.Probed::clusterId).orElse(0L),
                clock.instant()), pods);
    }
}

package com.storageos.etcd.sandbox.scenarios;

import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watches one cluster's member pods as the PDB and the client Service see them: at every change, how
 * many of the expected member pods are not Ready (missing, terminating or failing readiness), the most
 * seen at one instant, and the order in which pods were deleted.
 */
final class MemberPodWatch implements AutoCloseable {
    private final int expected;
    private final SharedIndexInformer<Pod> informer;
    private final Map<String, Pod> pods = new HashMap<>();
    private final Set<String> deletedUids = new HashSet<>();
    private final List<String> deletions = new ArrayList<>();
    private int maxNotReady;
    private String worstMoment = "";

    MemberPodWatch(KubernetesClient client, ClusterNames names, int expected) {
        this.expected = expected;
        this.informer = client.pods().inNamespace(names.namespace()).withLabels(Labels.memberSelector(names.cluster()))
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        seen(pod, false);
                    }

                    @Override
                    public void onUpdate(Pod old, Pod pod) {
                        seen(pod, false);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknownFinalState) {
                        seen(pod, true);
                    }
                });
    }

    private synchronized void seen(Pod pod, boolean gone) {
        String uid = pod.getMetadata().getUid();
        if ((gone || pod.getMetadata().getDeletionTimestamp() != null) && deletedUids.add(uid)) {
            deletions.add(pod.getMetadata().getName());
        }
        if (gone) {
            Pod stored = pods.get(pod.getMetadata().getName());
            if (stored != null && stored.getMetadata().getUid().equals(uid)) {
                pods.remove(pod.getMetadata().getName());
            }
        } else {
            pods.put(pod.getMetadata().getName(), pod);
        }
        int notReady = expected - (int) pods.values().stream().filter(MemberPodWatch::serving).count();
        if (notReady > maxNotReady) {
            maxNotReady = notReady;
            worstMoment = pods.values().stream().map(p -> p.getMetadata().getName() + (serving(p) ? " Ready" : " not Ready")).sorted().toList()
                    .toString();
        }
    }

    private static boolean serving(Pod p) {
        return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Forgets what was seen so far: the next rollout starts from here. */
    synchronized void reset() {
        deletions.clear();
        maxNotReady = expected - (int) pods.values().stream().filter(MemberPodWatch::serving).count();
        worstMoment = "";
    }

    /** Pod names in the order they were deleted (a deletionTimestamp seen, or the pod gone). */
    synchronized List<String> deletions() {
        return List.copyOf(deletions);
    }

    /** Every expected pod is there, not being deleted, and Ready. */
    synchronized boolean allServing() {
        return pods.size() == expected && pods.values().stream().allMatch(MemberPodWatch::serving);
    }

    synchronized int maxNotReady() {
        return maxNotReady;
    }

    /** The pods at the moment the most were not Ready. */
    synchronized String worstMoment() {
        return worstMoment;
    }

    @Override
    public void close() {
        informer.close();
    }
}

package com.storageos.etcd.reconciler.etcdcluster.pods;

import com.storageos.etcd.desired.VoterGate;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.naming.ClusterNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes each member pod's {@link VoterGate} condition into its status, only where it changed. Runs
 * before the plan, on every reconcile (pod events wake one), so that a voter's pod recreated by a
 * rollout or a drain has its gate open by the time its probe passes, and a rollout waiting for Ready waits
 * only for etcd. While etcd's member list cannot be read, or the members disagree on it, nothing is written: the gates keep their last word.
 */
public final class VoterGateWriter {
    private final KubernetesClient client;
    private final Clock clock;

    public VoterGateWriter(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** @param pods the member pods the observation was read from: no second list per reconcile */
    public void write(List<Pod> pods, ClusterNames names, ClusterObservation obs) {
        if (!obs.etcdReachable() || obs.disagreement().isPresent()) {
            return;
        }
        for (Pod pod : pods) {
            Optional<Integer> ordinal = names.ordinalOf(pod.getMetadata().getName());
            if (ordinal.isEmpty() || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            VoterGate.Verdict verdict = VoterGate.forOrdinal(obs.members(), ordinal.get());
            Optional<PodCondition> current = condition(pod);
            String status = verdict.open() ? "True" : "False";
            if (current.filter(c -> status.equals(c.getStatus()) && verdict.reason().equals(c.getReason())).isPresent()) {
                continue;
            }
            String since = current.filter(c -> status.equals(c.getStatus())).map(PodCondition::getLastTransitionTime)
                    .orElseGet(() -> clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
            patch(pod, Map.of("type", VoterGate.CONDITION, "status", status, "reason", verdict.reason(),
                    "message", verdict.message(), "lastTransitionTime", since));
        }
    }

    /**
     * A strategic merge patch of pods/status: conditions merge by type, so the kubelet's own conditions
     * are untouched. The UID pins the patch to the pod observed; a pod recreated under the same name refuses it.
     */
    private void patch(Pod pod, Map<String, String> condition) {
        Map<String, Object> body = Map.of("metadata", Map.of("uid", pod.getMetadata().getUid()),
                "status", Map.of("conditions", List.of(condition)));
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), client.getKubernetesSerialization().asJson(body));
        } catch (KubernetesClientException e) {
            // Gone, or replaced by a new pod since the list: the next reconcile sees the new one.
            if (e.getCode() != 404 && e.getCode() != 409 && e.getCode() != 422) {
                throw e;
            }
        }
    }

    private static Optional<PodCondition> condition(Pod pod) {
        return Optional.ofNullable(pod.getStatus()).map(s -> s.getConditions()).orElse(List.of()).stream()
                .filter(c -> VoterGate.CONDITION.equals(c.getType())).findFirst();
    }
}

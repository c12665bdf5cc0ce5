package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.PodRestartStatus;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.PodDisruption;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalConflict;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalStore;
import com.storageos.etcd.reconciler.etcdcluster.pods.ClusterOperations;
import java.time.Clock;
import java.time.Duration;

/**
 * Carries out a {@link Step.RestartPod}: the restart is recorded with a compare-and-swap, then the pod is evicted (or, where
 * {@link PodDisruption} says the budget cannot arbitrate, deleted) with the observed UID as a precondition. A lost swap
 * propagates as a {@link JournalConflict} with nothing disrupted. An eviction the PodDisruptionBudget refuses is never
 * worked around: the rollout waits and asks again, without recording the same restart again (a status write every retry
 * would only wake more reconciles): the budget arbitrates each retry ({@link DisruptionResult}), and the UID precondition keeps
 * it to that one pod.
 */
final class PodRestarts {
    private final JournalStore journal;
    private final ClusterOperations cluster;
    private final ClusterEvents events;
    private final EtcdCluster resource;
    private final ClusterNames names;
    private final Clock clock;

    PodRestarts(JournalStore journal, ClusterOperations cluster, ClusterEvents events, EtcdCluster resource, ClusterNames names,
                Clock clock) {
        this.journal = journal;
        this.cluster = cluster;
        this.events = events;
        this.resource = resource;
        this.names = names;
        this.clock = clock;
    }

    StepResult restart(Step.RestartPod step, ClusterObservation obs) {
        PodDisruption how = PodDisruption.of(step, obs);
        String pod = names.member(step.ordinal());
        if (!recorded(pod, how)) {
            journal.recordRestart(new PodRestartStatus(pod, how.podUid(), how.via().name(), step.reason(), clock.instant().toString()));
        }
        ClusterOperations.Disrupted outcome = how.via() == PodDisruption.Via.Eviction
                ? cluster.evictPod(step.ordinal(), how.podUid()) : cluster.deletePod(step.ordinal(), how.podUid());
        return DisruptionResult.of(outcome, () -> events.normal(resource, "MemberRestarted", "restarted pod " + pod + " ("
                        + how.via().name().toLowerCase() + "): " + step.reason()),
                "the PodDisruptionBudget allows no disruption of " + pod
                        + " now (a node drain or another unready member pod); asking again",
                Duration.ZERO);
    }

    /** Whether this very restart (the pod under this UID, the same way) is the one the status already records. */
    private boolean recorded(String pod, PodDisruption how) {
        PodRestartStatus last = resource.getStatus() == null ? null : resource.getStatus().getLastRestart();
        return last != null && pod.equals(last.getPod()) && how.podUid() != null && how.podUid().equals(last.getPodUid())
                && how.via().name().equals(last.getVia());
    }
}

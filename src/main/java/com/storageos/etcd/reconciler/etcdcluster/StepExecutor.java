package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.StorageSpec;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.etcdclient.MemberAddResult;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalConflict;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalStore;
import com.storageos.etcd.reconciler.etcdcluster.pods.ClusterOperations;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Carries out one planned step: at most one etcd call or one Kubernetes write, with the journal
 * recorded first for every membership change and every pod restart ({@link PodRestarts}), and every other act recorded
 * first too ({@link RecordedActs}), all as compare-and-swaps. etcd's transient refusals (learner not caught up,
 * strict reconfiguration check) become short requeues, not failures. Any other etcd refusal or API
 * error becomes a failed result that names the step and the error, for the status; a journal write
 * that lost its compare-and-swap ({@link JournalConflict}) propagates, with nothing acted on.
 */
final class StepExecutor {
    static final Duration FAST = Duration.ofMillis(100);
    static final Duration RECONFIG_BACKOFF = Duration.ofSeconds(1);
    static final Duration POD = Duration.ofMillis(500);
    static final Duration BLOCKED = Duration.ofSeconds(10);
    static final Duration RESYNC = Duration.ofSeconds(30);

    private final EtcdAdmin admin;
    private final JournalStore journal;
    private final ClusterOperations cluster;
    private final ClusterEvents events;
    private final EtcdCluster resource;
    private final ClusterNames names;
    private final Clock clock;
    private final RecoverySteps recovery;
    private final PodRestarts restarts;
    private final ClusterObservation observation;
    private final RecordedActs acts;

    /** @param observation what the step was planned from: a restart names the pod UID it saw */
    StepExecutor(EtcdAdmin admin, JournalStore journal, ClusterOperations cluster, ClusterEvents events,
                 EtcdCluster resource, ClusterNames names, Clock clock, ClusterObservation observation) {
        this.admin = admin;
        this.journal = journal;
        this.cluster = cluster;
        this.events = events;
        this.resource = resource;
        this.names = names;
        this.clock = clock;
        this.recovery = new RecoverySteps(journal, events, resource, clock, admin::clusterId);
        this.restarts = new PodRestarts(journal, cluster, events, resource, names, clock);
        this.observation = observation;
        this.acts = new RecordedActs(admin, journal, events, resource, names, clock);
    }

    StepResult execute(Step step) {
        try {
            return dispatch(step);
        } catch (EtcdAdminException e) {
            if (e.isTransient()) {
                return StepResult.refused(e.getMessage(), e.kind() == EtcdAdminException.Kind.LEARNER_NOT_READY ? FAST : RECONFIG_BACKOFF);
            }
            return StepResult.failed(describe(step) + " failed: etcd refused: " + e.getMessage());
        } catch (KubernetesClientException e) {
            return StepResult.failed(describe(step) + " failed: " + ApiRefusal.describe(e));
        }
    }

    /** The step and the member it is about, for a person reading the condition; a step about no one member is named alone. */
    private String describe(Step step) {
        String name = step.getClass().getSimpleName();
        return name + switch (step) {
            case Step.AddLearner a -> " of " + names.member(a.journal().ordinal());
            case Step.RemoveMember r -> " of " + memberLabel(r.journal());
            case Step.PromoteLearner p -> " of " + names.member(p.ordinal());
            case Step.UpdatePeerUrl u -> " of " + names.member(u.ordinal()) + " to " + u.peerUrl();
            case Step.MoveLeader m -> " to " + Long.toHexString(m.toId());
            case Step.RestartPod r -> " of " + names.member(r.ordinal());
            case Step.ReleaseVolume v -> " of " + names.dataClaim(v.ordinal());
            default -> "";
        };
    }

    /** One case per step, and no default: a new step does not compile until it is carried out here. */
    private StepResult dispatch(Step step) {
        return switch (step) {
            case Step.Bootstrap b -> bootstrap(b);
            case Step.StartMember s -> acts.startMember(s);
            case Step.RestorePods r -> acts.restorePods(r);
            case Step.RetireOrdinal r -> acts.retireOrdinal(r);
            case Step.RestartPod r -> restarts.restart(r, observation);
            case Step.AddLearner a -> addLearner(a.journal());
            case Step.PromoteLearner p -> acts.promote(p);
            case Step.UpdatePeerUrl u -> acts.updatePeerUrl(u);
            case Step.MoveLeader m -> acts.moveLeader(m);
            case Step.RemoveMember r -> removeMember(r.journal(), r.because());
            case Step.ReleaseVolume v -> releaseVolume(v.ordinal());
            case Step.RecordJournal r -> recordJournal(r);
            case Step.ClusterFormed _ -> clusterFormed();
            case Step.MigrationProgress p -> migrate(p);
            case Step.RestartStorageOSNode r -> new StorageOSNodeRestarts(journal, cluster, events, resource).restart(r);
            case Step.StartRecovery r -> recovery.start(r);
            case Step.StartRestore r -> recovery.startRestore(r);
            case Step.RefuseRecovery r -> recovery.refuse(r);
            case Step.RecoveryProgress p -> recovery.progress(p);
            case Step.AbortRecovery a -> recovery.abort(a);
            case Step.Wait w -> StepResult.after(w.after());
            case Step.Blocked _ -> StepResult.after(BLOCKED);
            case Step.Converged _ -> StepResult.after(RESYNC);
        };
    }

    private StepResult bootstrap(Step.Bootstrap b) {
        journal.record(Optional.of(b.journal()), null);
        events.normal(resource, "Bootstrapping", "starting " + b.podCount() + " member pod(s) to form the cluster");
        return StepResult.scaled(b.podCount(), POD);
    }

    private StepResult recordJournal(Step.RecordJournal r) {
        // A learner found after a crash needs the initial-cluster its pod will join with.
        String initialCluster = r.next().filter(j -> j.phase() == Phase.MemberAdded)
                .map(j -> initialCluster(admin.listMembers(), j)).orElse(null);
        journal.record(r.next(), initialCluster);
        return StepResult.after(Duration.ZERO);
    }

    private StepResult clusterFormed() {
        new ClusterFormation(journal, events, resource, clock).record(admin.clusterId(), observation);
        return StepResult.after(Duration.ZERO);
    }

    private StepResult addLearner(Journal intent) {
        journal.record(Optional.of(intent), null);
        MemberAddResult added;
        try {
            added = admin.addLearner(intent.peerUrl());
        } catch (EtcdAdminException e) {
            if (e.kind() == EtcdAdminException.Kind.PEER_URL_EXISTS) {
                return StepResult.after(FAST); // added before a crash: the next observation adopts it
            }
            throw e;
        }
        String name = names.member(intent.ordinal());
        journal.record(Optional.of(intent.withPhase(Phase.MemberAdded, added.added().id(), clock.instant())),
                initialCluster(added.members(), intent));
        events.normal(resource, "LearnerAdded", name + " added as learner " + added.added().idHex());
        return StepResult.after(Duration.ZERO);
    }

    /** etcd's initial-cluster for the joining member: exactly the member list, with the joiner under its own name. */
    private String initialCluster(List<EtcdMember> members, Journal joining) {
        String name = names.member(joining.ordinal());
        return members.stream()
                .flatMap(m -> m.peerUrls().stream().map(url -> (url.equals(joining.peerUrl()) ? name : m.name()) + "=" + url))
                .collect(Collectors.joining(","));
    }

    private StepResult removeMember(Journal intent, Optional<Step.RestartPod.Purpose> because) {
        journal.record(Optional.of(intent), null);
        try {
            admin.remove(intent.memberId());
        } catch (EtcdAdminException e) {
            if (e.kind() != EtcdAdminException.Kind.MEMBER_NOT_FOUND) {
                throw e;
            }
        }
        if (intent.operation() == Operation.RemoveExternal) {
            journal.record(Optional.empty(), null);
            events.normal(resource, "ExternalMemberRemoved", "external member " + Long.toHexString(intent.memberId()) + " ("
                    + intent.peerUrl() + ") removed from the cluster");
            return StepResult.after(Duration.ZERO);
        }
        if (intent.operation() == Operation.RollBackMigration) {
            journal.record(Optional.empty(), null);
            events.warning(resource, "MigrationMemberRolledBack", names.member(intent.ordinal()) + " (" + Long.toHexString(intent.memberId())
                    + ") removed from the external cluster: the failed migration is rolled back");
            return StepResult.after(Duration.ZERO);
        }
        boolean replacing = intent.operation() == Operation.ReplaceMember;
        Phase next = replacing ? Phase.AddRequested : Phase.MemberRemoved;
        journal.record(Optional.of(intent.withPhase(next, 0, clock.instant())), null);
        String name = names.member(intent.ordinal());
        if (because.isPresent()) {
            events.warning(resource, "StuckLearnerRemoved", name + " (" + Long.toHexString(intent.memberId()) + "): " + because.get().text());
        } else if (replacing) {
            events.warning(resource, "ReplacingMember", name + " lost its data; removed member " + Long.toHexString(intent.memberId())
                    + ", adding it back as a learner");
        } else {
            events.normal(resource, "MemberRemoved", name + " (" + Long.toHexString(intent.memberId()) + ") removed from the cluster");
        }
        return StepResult.after(Duration.ZERO);
    }

    /** Starting records the external cluster's ID with the phase: from then on this cluster counts as formed. */
    private StepResult migrate(Step.MigrationProgress p) {
        String clusterId = p.next().phase() == Migration.Phase.Joining ? Long.toHexString(admin.clusterId()) : null;
        journal.recordMigration(p.next(), clusterId);
        events.normal(resource, p.reason().name(), p.message());
        return StepResult.after(p.next().phase() == Migration.Phase.Proposed ? POD : Duration.ZERO);
    }

    private String memberLabel(Journal j) {
        String id = Long.toHexString(j.memberId());
        return j.ordinal() < 0 ? "external member " + id + " (" + j.peerUrl() + ")" : names.member(j.ordinal()) + " (" + id + ")";
    }

    private StepResult releaseVolume(int ordinal) {
        StorageSpec storage = Optional.ofNullable(resource.getSpec().getStorage()).orElseGet(StorageSpec::new);
        boolean delete = storage.getReclaimPolicy() == StorageSpec.VolumeReclaimPolicy.Delete;
        if (delete) {
            cluster.deleteDataClaim(ordinal);
        }
        journal.record(Optional.empty(), null);
        events.normal(resource, "MemberRetired", names.member(ordinal) + " retired; its volume was " + (delete ? "deleted" : "retained"));
        return StepResult.after(Duration.ZERO);
    }
}

package com.storageos.etcd.status;

import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;

/** PURE: what the operator is doing, as the Progressing and Ready messages tell a person. */
final class StepSentence {
    private final ClusterObservation obs;
    private final String clusterName;

    StepSentence(ClusterObservation obs, String clusterName) {
        this.obs = obs;
        this.clusterName = clusterName;
    }

    /** One case per step and no default: a new step does not compile until it has its sentence. */
    String of(Step step) {
        return switch (step) {
            case Step.Bootstrap b -> "forming the cluster: starting " + plural(b.podCount(), "first member");
            case Step.AddLearner a -> "adding " + podOf(a.journal()) + " as a learner (" + purpose(a.journal().operation()) + ")";
            case Step.StartMember s -> "starting the pod of " + ordinalName(s.ordinal()) + ", which joins as a learner";
            case Step.RestorePods r -> r.message();
            case Step.RestartPod r -> "restarting the pod of " + name(r.ordinal()) + ": " + r.reason();
            case Step.PromoteLearner p -> "promoting learner " + name(p.ordinal()) + " to voter once it has caught up with the leader";
            case Step.UpdatePeerUrl u -> "advertising " + name(u.ordinal()) + " at " + u.peerUrl() + " (member update): " + u.why();
            case Step.MoveLeader m -> "moving leadership from " + memberName(m.fromId()) + " to " + memberName(m.toId());
            case Step.RemoveMember r -> "removing " + podOf(r.journal()) + " from the membership (" + r.because()
                    .map(Step.RestartPod.Purpose::text).orElseGet(() -> purpose(r.journal().operation())) + ")";
            case Step.RetireOrdinal r -> "retiring the pod of " + ordinalName(r.ordinal()) + ", which left the membership";
            case Step.ReleaseVolume r -> "applying the volume reclaim policy to the claim of " + ordinalName(r.ordinal());
            case Step.RecordJournal r -> "recording that the membership change went on (" + r.reason() + ")";
            case Step.ClusterFormed _ -> "recording that the membership change went on (ClusterFormed)";
            case Step.StartRecovery r -> "recovering from " + r.survivor() + " (raft index " + r.raftIndex() + ", revision " + r.revision() + ")";
            case Step.StartRestore r -> "restoring backup " + r.request().backup() + r.request().source().map(from -> " from " + from).orElse("");
            case Step.RefuseRecovery r -> "refusing the recovery request '" + r.request().value() + "': " + r.why();
            case Step.RecoveryProgress p -> p.message();
            case Step.AbortRecovery a -> "aborting the recovery: " + a.why();
            case Step.MigrationProgress p -> p.message();
            case Step.RestartStorageOSNode r -> "restarting StorageOS node pod " + r.namespace() + "/" + r.next().nodeRestart().pod()
                    + " through the Eviction API, so that it reads the switched address (" + r.reason() + ")";
            case Step.Wait w -> w.message();
            case Step.Blocked b -> b.message();
            case Step.Converged _ -> "membership matches spec.replicas";
        };
    }

    private String podOf(Journal journal) {
        return journal.ordinal() < 0 ? "external member " + Long.toHexString(journal.memberId()) + " (" + journal.peerUrl() + ")"
                : ordinalName(journal.ordinal());
    }

    private static String purpose(Journal.Operation operation) {
        return switch (operation) {
            case Bootstrap -> "forming the cluster";
            case ScaleUp -> "scaling up";
            case ScaleDown -> "scaling down";
            case ReplaceMember -> "replacing a member that lost its data";
            case RecoverFromSurvivor -> "recovering from a survivor";
            case RestoreFromBackup -> "restoring from a backup";
            case RemoveExternal -> "migrating from the external cluster";
            case RollBackMigration -> "rolling back the failed migration";
            case RetirePod -> "retiring a pod without a member";
        };
    }

    /** A started member's name, else its ordinal. */
    private String name(int ordinal) {
        return obs.memberAt(ordinal).filter(ObservedMember::started).map(ObservedMember::name).orElse(ordinalName(ordinal));
    }

    /** The member pod's name: a member that has not started yet has no etcd name. */
    private String ordinalName(int ordinal) {
        return ClusterNames.member(clusterName, ordinal);
    }

    private String memberName(long id) {
        return obs.member(id).map(ObservedMember::name).orElse(Long.toHexString(id));
    }

    private static String plural(int n, String what) {
        return n == 1 ? "the " + what : n + " " + what + "s";
    }
}

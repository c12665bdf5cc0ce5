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

    String of(Step step) {
        if (step instanceof Step.Bootstrap b) {
            return "forming the cluster: starting " + plural(b.podCount(), "first member");
        }
        if (step instanceof Step.AddLearner a) {
            return "adding " + podOf(a.journal()) + " as a learner (" + purpose(a.journal().operation()) + ")";
        }
        if (step instanceof Step.StartMember s) {
            return "starting the pod of " + ordinalName(s.ordinal()) + ", which joins as a learner";
        }
        if (step instanceof Step.RestorePods r) {
            return r.message();
        }
        if (step instanceof Step.RestartPod r) {
            return "restarting the pod of " + name(r.ordinal()) + ": " + r.reason();
        }
        if (step instanceof Step.PromoteLearner p) {
            return "promoting learner " + name(p.ordinal()) + " to voter once it has caught up with the leader";
        }
        if (step instanceof Step.UpdatePeerUrl u) {
            return "advertising " + name(u.ordinal()) + " at " + u.peerUrl() + " (member update): " + u.why();
        }
        if (step instanceof Step.MoveLeader m) {
            return "moving leadership from " + memberName(m.fromId()) + " to " + memberName(m.toId());
        }
        if (step instanceof Step.RemoveMember r) {
            return "removing " + podOf(r.journal()) + " from the membership (" + r.because().map(Step.RestartPod.Purpose::text)
                    .orElseGet(() -> purpose(r.journal().operation())) + ")";
        }
        if (step instanceof Step.RetireOrdinal r) {
            return "retiring the pod of " + ordinalName(r.ordinal()) + ", which left the membership";
        }
        if (step instanceof Step.ReleaseVolume r) {
            return "applying the volume reclaim policy to the claim of " + ordinalName(r.ordinal());
        }
        if (step instanceof Step.RecordJournal r) {
            return "recording that the membership change went on (" + r.reason() + ")";
        }
        if (step instanceof Step.StartRecovery r) {
            return "recovering from " + r.survivor() + " (raft index " + r.raftIndex() + ", revision " + r.revision() + ")";
        }
        if (step instanceof Step.StartRestore r) {
            return "restoring backup " + r.request().backup() + r.request().source().map(from -> " from " + from).orElse("");
        }
        if (step instanceof Step.RefuseRecovery r) {
            return "refusing the recovery request '" + r.request().value() + "': " + r.why();
        }
        if (step instanceof Step.RecoveryProgress p) {
            return p.message();
        }
        if (step instanceof Step.AbortRecovery a) {
            return "aborting the recovery: " + a.why();
        }
        if (step instanceof Step.MigrationProgress p) {
            return p.message();
        }
        if (step instanceof Step.RestartStorageOSNode r) {
            return "restarting StorageOS node pod " + r.namespace() + "/" + r.next().nodeRestart().pod() + " through the Eviction API, so"
                    + " that it reads the switched address (" + r.reason() + ")";
        }
        if (step instanceof Step.Wait w) {
            return w.message();
        }
        if (step instanceof Step.Blocked b) {
            return b.message();
        }
        return "membership matches spec.replicas";
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

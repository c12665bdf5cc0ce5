package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.toolcontract.BootstrapReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one thing the operator does next. Steps that change membership carry the journal entry the
 * executor persists before it acts.
 */
public sealed interface Step {

    /** Create the first member(s): the StatefulSet gets {@code podCount} pods. */
    record Bootstrap(Journal journal, int podCount) implements Step { }

    /** {@code member add --learner} for {@code journal.peerUrl()}. */
    record AddLearner(Journal journal) implements Step { }

    /** Raise the StatefulSet to {@code podCount} pods so that the member at {@code ordinal} starts. */
    record StartMember(int ordinal, int podCount) implements Step { }

    /**
     * The StatefulSet runs fewer pods than the recorded members need (someone scaled it by hand): raise it
     * to {@code podCount} so that they come back on their volumes, as the same members.
     */
    record RestorePods(int podCount, String message) implements Step { }

    /**
     * Delete one pod so that the StatefulSet recreates it (new template, a stale failed init, a recovery's restart). What the
     * restart is part of is its {@link Purpose}'s condition reason, never read from its sentence.
     */
    record RestartPod(int ordinal, Purpose purpose) implements Step {
        /** A restart of a rolling update: the pod runs an old template, or its bootstrap ran before the journal it needs. */
        public RestartPod(int ordinal, String reason) {
            this(ordinal, new Purpose(ConditionReason.RollingUpdate, reason));
        }

        /** Why the pod restarts, for people. */
        public String reason() {
            return purpose.text();
        }

        /**
         * @param condition the Progressing reason the restart shows under: RollingUpdate, RecreatingFailedMember,
         *                  RecoveringFromSurvivor or RestoringFromBackup
         * @param text      why the pod restarts, for people
         */
        public record Purpose(ConditionReason condition, String text) { }
    }

    /** {@code member promote}; etcd refuses while the learner is behind, which means wait. */
    record PromoteLearner(long memberId, int ordinal) implements Step { }

    /**
     * {@code member update}: advertise the member at {@code ordinal} under {@code peerUrl} (its pod's IP during a PodIP migration, or
     * its DNS name again at the end). Idempotent, so no journal: a crash before or after is seen in the next member list.
     */
    record UpdatePeerUrl(long memberId, int ordinal, String peerUrl, String why) implements Step { }

    /** Hand leadership from a member that is about to go away to a healthy voter. */
    record MoveLeader(long fromId, long toId) implements Step { }

    /**
     * {@code member remove} of {@code journal.memberId()}.
     *
     * @param because why, when it is not the journal's own operation: a learner that did not catch up by its deadline, or one
     *                that a lost voter's repair pre-empts; the condition reason it shows under and the sentence for the Event
     */
    record RemoveMember(Journal journal, Optional<RestartPod.Purpose> because) implements Step {
        public RemoveMember(Journal journal) {
            this(journal, Optional.empty());
        }
    }

    /**
     * Lower the StatefulSet to {@code podCount} pods, retiring the pod at {@code ordinal}.
     *
     * @param journal the journal to record first, when none is open yet (a pod without a member); empty under an open one
     */
    record RetireOrdinal(int ordinal, int podCount, Optional<Journal> journal) implements Step {
        /** Under the open journal (a scale-down's MemberRemoved, a migration's rollback), which the act is recorded against. */
        public RetireOrdinal(int ordinal, int podCount) {
            this(ordinal, podCount, Optional.empty());
        }
    }

    /** Apply the reclaim policy to the retired ordinal's volume, then close the journal. */
    record ReleaseVolume(int ordinal) implements Step { }

    /** Only bookkeeping: move the journal on (or close it, when empty) after observing etcd. */
    record RecordJournal(Optional<Journal> next, String reason) implements Step { }

    /** etcd answers with the first member(s): close the Bootstrap journal and record etcd's cluster ID, in one write. */
    record ClusterFormed() implements Step { }

    /**
     * Begin a recovery from the survivor the journal names: record the journal and the request as handled, in one write.
     *
     * @param raftIndex the survivor's raft index, the highest of the members that answered
     * @param revision  its key-value revision
     * @param others    the other members, whose data is moved aside
     */
    record StartRecovery(Journal journal, RecoveryRequest request, String survivor, long raftIndex, long revision,
                         List<String> others, Optional<String> supersedes) implements Step {
        public StartRecovery(Journal journal, RecoveryRequest request, String survivor, long raftIndex, long revision,
                             List<String> others) {
            this(journal, request, survivor, raftIndex, revision, others, Optional.empty());
        }

        /** The same start, replacing the open recovery described by {@code recovery} in the same compare-and-swap. */
        StartRecovery superseding(String recovery) {
            return new StartRecovery(journal, request, survivor, raftIndex, revision, others, Optional.of(recovery));
        }
    }

    /**
     * Begin a restore from a backup: record the journal and the request as handled, in one write.
     *
     * @param replaced the members etcd knew, whose data is moved aside
     */
    record StartRestore(Journal journal, RecoveryRequest request, List<String> replaced, Optional<String> supersedes) implements Step {
        public StartRestore(Journal journal, RecoveryRequest request, List<String> replaced) {
            this(journal, request, replaced, Optional.empty());
        }

        /** The same start, replacing the open recovery described by {@code recovery} in the same compare-and-swap. */
        StartRestore superseding(String recovery) {
            return new StartRestore(journal, request, replaced, Optional.of(recovery));
        }
    }

    /** The recovery request is not served; record it as handled with why, and change nothing else. */
    record RefuseRecovery(RecoveryRequest request, String why) implements Step { }

    /**
     * Quorum came back before the recovery's next destructive step, and the recovery was not forced, or a person asked with
     * the abort-recovery annotation ({@code request}, then recorded as handled): close its journal and record it as aborted,
     * with why; nothing more is touched.
     */
    record AbortRecovery(String why, Optional<RecoveryRequest> request) implements Step {
        public AbortRecovery(String why) {
            this(why, Optional.empty());
        }
    }

    /**
     * A recovery step is done: move its journal on (or close it, with the recovery recorded as completed).
     *
     * @param condition the Progressing reason it shows under: RecoveringFromSurvivor or RestoringFromBackup
     * @param reason    the Event's reason
     */
    /** @param recovered a restore in place that completed: what member 0's bootstrap brought back */
    record RecoveryProgress(Optional<Journal> next, ConditionReason condition, String reason, String message,
                            Optional<BootstrapReport.Recovered> recovered) implements Step {
        public RecoveryProgress(Optional<Journal> next, ConditionReason condition, String reason, String message) {
            this(next, condition, reason, message, Optional.empty());
        }
    }

    /**
     * Record the migration's next state (status.migration). Moving to Joining also records etcd's cluster ID, in the
     * same write: from then on this cluster is formed, and is never bootstrapped on its own.
     */
    record MigrationProgress(Migration next, ConditionReason reason, String message) implements Step { }

    /**
     * Evict the StorageOS node pod {@code next.nodeRestart()} names, in {@code namespace}, once {@code next} is recorded (spec.storageos
     * nodeRestart Evict): the node DaemonSet replaces it with a pod that reads the switched address.
     */
    record RestartStorageOSNode(Migration next, String namespace, String reason) implements Step { }

    /** Nothing to do until something changes; look again after {@code after}. */
    record Wait(ConditionReason reason, String message, Duration after) implements Step { }

    /** Acting would risk data or quorum; a person must look. Nothing destructive is done. */
    record Blocked(ConditionReason reason, String message) implements Step { }

    /** Membership matches the spec. */
    record Converged() implements Step { }
}

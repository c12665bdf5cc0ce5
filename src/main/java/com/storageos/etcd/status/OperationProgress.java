package com.storageos.etcd.status;

import com.storageos.etcd.api.v1alpha1.status.ProgressStatus;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.LearnerCatchUp;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.membership.RestartOrder;
import com.storageos.etcd.toolcontract.ToolProgress;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * PURE: status.progress, the operator's entries from one observation and step. Only what was observed is a figure: a learner's
 * raft index against the leader's (both from their own status answers), the member pods on the current template, and the
 * database a restored member reports once it runs. The backup and defrag tools write their own entries while they run
 * ({@link ToolProgress}); status.progress is a list map keyed by operation, so a tool's entry is kept as it is, until it is
 * older than {@link ToolProgress#STALE_AFTER}: then its pod died before it could remove it.
 */
public final class OperationProgress {
    public static final String LEARNER_CATCH_UP = "LearnerCatchUp";
    public static final String ROLLOUT = "Rollout";
    public static final String RESTORE = "Restore";
    static final Set<String> OPERATORS = Set.of(LEARNER_CATCH_UP, ROLLOUT, RESTORE);

    private OperationProgress() {
    }

    /** The operator's entries for this reconcile; {@code forming}: the Bootstrap journal is open. */
    static List<ProgressStatus> of(StatusInput in, boolean forming) {
        ClusterObservation obs = in.observation();
        List<ProgressStatus> out = new ArrayList<>();
        long leaderIndex = obs.leader().map(ObservedMember::raftIndex).orElse(0L);
        obs.members().stream().filter(m -> m.learner() && m.ordinal() >= 0 && m.started() && m.answeredStatus()).findFirst()
                .ifPresent(l -> out.add(new ProgressStatus(LEARNER_CATCH_UP, l.raftIndex(), leaderIndex > 0 ? leaderIndex : null,
                        "RaftIndex", LearnerCatchUp.at(l, leaderIndex))));
        if (!RestartOrder.stale(obs).isEmpty()) {
            int on = RestartOrder.onNewTemplate(obs);
            out.add(new ProgressStatus(ROLLOUT, (long) on, (long) obs.pods().size(), "Members",
                    on + " of " + obs.pods().size() + " members on the new template"));
        }
        if (ConditionRules.restoring(in.step(), forming)) {
            out.add(restore(obs, in.clusterName() + "-0"));
        }
        return out;
    }

    /**
     * The operator's entries replaced, a tool's kept while it is fresh; sorted by operation, so that the same progress writes
     * nothing.
     */
    static List<ProgressStatus> merge(List<ProgressStatus> current, List<ProgressStatus> operators, Instant now) {
        List<ProgressStatus> merged = new ArrayList<>(operators);
        Optional.ofNullable(current).orElse(List.of()).stream()
                .filter(p -> !OPERATORS.contains(p.getOperation()) && fresh(p, now)).forEach(merged::add);
        merged.sort(Comparator.comparing(ProgressStatus::getOperation));
        return merged.isEmpty() ? null : merged;
    }

    /** An entry with no update time, or one that does not parse, is no tool's of this version: it is dropped too. */
    private static boolean fresh(ProgressStatus p, Instant now) {
        try {
            return p.getUpdateTime() != null
                    && !Instant.parse(p.getUpdateTime()).plus(ToolProgress.STALE_AFTER).isBefore(now);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /**
     * The restored database's size is known only once member 0 runs on it: etcd reports it then. Until then the entry says so,
     * with no figure: the snapshot is fetched and restored inside the member's init container.
     */
    private static ProgressStatus restore(ClusterObservation obs, String seed) {
        boolean restored = obs.pod(0).map(p -> p.restore().restored()).orElse(false);
        Optional<ObservedMember> runs = obs.memberAt(0).filter(m -> restored && m.started() && m.dbSize() > 0);
        return runs.map(m -> new ProgressStatus(RESTORE, m.dbSize(), null, "Bytes", m.name() + " runs on the restored backup: a database"
                        + " of " + m.dbSize() + " bytes"))
                .orElseGet(() -> new ProgressStatus(RESTORE, null, null, "Bytes", "restoring the backup into " + seed
                        + "; the restored database's size is known once it runs on it"));
    }

    /** Progressing's message with each of the operator's figures it does not give yet. */
    static String withFigures(String message, List<ProgressStatus> operators) {
        StringBuilder out = new StringBuilder(message);
        operators.stream().map(ProgressStatus::getMessage).filter(m -> !message.contains(m)).forEach(m -> out.append("; ").append(m));
        return out.toString();
    }
}

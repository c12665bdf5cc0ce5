package com.storageos.etcd.status;

import com.storageos.etcd.api.v1alpha1.spec.EtcdTuningSpec;
import com.storageos.etcd.api.v1alpha1.spec.StorageSpec;
import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.api.v1alpha1.status.MovedAsideStatus;
import com.storageos.etcd.api.v1alpha1.status.ProgressStatus;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.membership.ObservedMember;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.membership.StuckPods;
import com.storageos.etcd.naming.ClusterNames;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Pure: writes the operator-owned parts of the status from one reconcile's observation and
 * decision. Parts owned by other writers (backup, defrag, StorageOS sync) are left untouched.
 */
public final class StatusComputer {
    private static final long MIB = 1024 * 1024;
    /** Beside the database: up to 5 WAL files of 64 MB ({@code --max-wals}) and 5 snapshot files ({@code --max-snapshots}). */
    static final long QUOTA_HEADROOM_BYTES = 512 * MIB;
    private final Clock clock;
    private final Conditions conditions;

    public StatusComputer(Clock clock) {
        this.clock = clock;
        this.conditions = new Conditions(clock);
    }

    public void apply(StatusInput in, EtcdClusterStatus status) {
        ClusterObservation obs = in.observation();
        status.setObservedGeneration(in.generation());
        status.setSelector(in.selector());
        if (obs.etcdReachable()) {
            status.setMembers(obs.members().stream().map(m -> member(m, obs)).toList());
            status.setReplicas(obs.voters().size());
            status.setReadyReplicas((int) obs.healthyVoters());
            status.setLeader(obs.leader().map(ObservedMember::name).orElse(null));
            status.setCurrentVersion(ReportedVersions.lowestMember(obs, status.getCurrentVersion()));
            status.setClusterVersion(ReportedVersions.cluster(obs, status.getClusterVersion()));
            status.setClientEndpoints(obs.voters().stream().filter(ObservedMember::healthy).map(ObservedMember::clientUrl).toList());
            // Whenever etcd answers: a status that lost its cluster ID (restored without it) gets it back, so that the
            // cluster is never bootstrapped again. An ID already there is never overwritten.
            if (status.getClusterId() == null && obs.clusterId() != 0) {
                status.setClusterId(Long.toHexString(obs.clusterId()));
            }
        } else {
            status.setReadyReplicas(0);
            status.setLeader(null);
        }
        status.setMembersSummary(status.getReadyReplicas() + "/" + in.desiredReplicas());
        boolean forming = PendingChanges.read(status.getPendingChange()).filter(j -> j.operation() == Journal.Operation.Bootstrap).isPresent();
        ConditionRules rules = new ConditionRules(in, Optional.ofNullable(status.getLastBackup()), forming);
        ConditionVerdict available = rules.available();
        List<ProgressStatus> progress = OperationProgress.of(in, forming);
        status.setProgress(OperationProgress.merge(status.getProgress(), progress, clock.instant()));
        ConditionVerdict progressing = withWayOut(stuckPodNamed(withFigures(rules.progressing(), progress), in), in, forming);
        ConditionVerdict degraded = rollingBack(status, in).orElseGet(rules::degraded);
        degraded = in.step() instanceof Step.Blocked ? withWayOut(degraded, in, forming) : degraded;
        ConditionVerdict ready = rules.ready(available, progressing, degraded);
        var list = status.getConditions();
        list = set(list, Conditions.READY, ready, in);
        list = set(list, Conditions.AVAILABLE, available, in);
        list = set(list, Conditions.PROGRESSING, progressing, in);
        list = set(list, Conditions.DEGRADED, degraded, in);
        list = in.desiredReplicas() % 2 == 0
                ? conditions.upsert(list, Conditions.EVEN_MEMBER_COUNT, true, ConditionReason.EvenMemberCount, in.desiredReplicas()
                + " members tolerate no more failures than " + (in.desiredReplicas() - 1) + "; use an odd count", in.generation())
                : conditions.remove(list, Conditions.EVEN_MEMBER_COUNT);
        status.setConditions(list);
    }

    /** A failed migration says what failed on every reconcile of its rollback, whatever the step (unless a step itself failed). */
    private static Optional<ConditionVerdict> rollingBack(EtcdClusterStatus status, StatusInput in) {
        return Migrations.read(status.getMigration()).filter(m -> m.phase() == Migration.Phase.RollingBack && in.stepError() == null)
                .map(m -> ConditionVerdict.yes(m.failureReason(), "the migration failed: " + m.failure() + "; rolling back, the external"
                        + " cluster stays whole: " + new StepSentence(in.observation(), in.clusterName()).of(in.step())));
    }

    /**
     * Warns while a member's volume cannot hold etcd's quota with room for its WAL and snapshot files: etcd would stop on
     * a full disk ({@code no space left on device}) before its own NOSPACE alarm could protect the data. A condition, not
     * admission: Kubernetes 1.26 has no CEL ratcheting, so a rule refusing it would refuse every later update of a
     * cluster created before the rule, even a scale, until its volume grew.
     */
    public void volumeFitsQuota(StorageSpec storage, EtcdTuningSpec etcd, long generation, EtcdClusterStatus status) {
        String size = Optional.ofNullable(storage).map(StorageSpec::getSize).orElseGet(() -> new StorageSpec().getSize());
        long volume = Quantity.getAmountInBytes(new Quantity(size)).longValue();
        long quota = Optional.ofNullable(etcd).map(EtcdTuningSpec::getQuotaBackendBytes).orElse(EtcdTuningSpec.DEFAULT_QUOTA);
        status.setConditions(volume < quota + QUOTA_HEADROOM_BYTES
                ? conditions.upsert(status.getConditions(), Conditions.QUOTA_EXCEEDS_VOLUME, true, ConditionReason.QuotaExceedsVolume,
                "spec.storage.size " + size + " cannot hold spec.etcd.quotaBackendBytes " + quota + " plus "
                        + QUOTA_HEADROOM_BYTES / MIB + " MiB for etcd's WAL and snapshots: grow the volume to at least "
                        + ceilGi(quota + QUOTA_HEADROOM_BYTES) + "Gi or lower the quota", generation)
                : conditions.remove(status.getConditions(), Conditions.QUOTA_EXCEEDS_VOLUME));
    }

    private static long ceilGi(long bytes) {
        return (bytes + 1024 * MIB - 1) / (1024 * MIB);
    }

    /** While paused nothing is observed: only Progressing changes, to say why nothing else does, and no figure of the operator's stays. */
    public void paused(long generation, EtcdClusterStatus status) {
        status.setProgress(OperationProgress.merge(status.getProgress(), List.of(), clock.instant()));
        ConditionVerdict v = ConditionRules.paused();
        status.setConditions(conditions.upsert(status.getConditions(), Conditions.PROGRESSING, v.status(), v.reason(), v.message(), generation));
    }

    private List<Condition> set(List<Condition> list, String type, ConditionVerdict v, StatusInput in) {
        return conditions.upsert(list, type, v.statusText(), v.reason(), v.message(), in.generation());
    }

    private static MemberStatus member(ObservedMember m, ClusterObservation obs) {
        MemberStatus s = new MemberStatus();
        s.setName(m.name());
        s.setId(Long.toHexString(m.id()));
        s.setRole(m.learner() ? "Learner" : "Voter");
        s.setLeader(m.leader());
        s.setHealthy(m.healthy());
        s.setVersion(m.version() == null || m.version().isEmpty() ? null : m.version());
        s.setDbSize(m.dbSize() > 0 ? m.dbSize() : null);
        s.setDbSizeInUse(m.dbSizeInUse() > 0 ? m.dbSizeInUse() : null);
        s.setPeerURL(m.peerUrl());
        s.setClientURL(m.clientUrl());
        obs.pod(m.ordinal()).flatMap(PodState::keptAside).ifPresent(k -> s.setMovedAside(
                new MovedAsideStatus(k.copies(), k.bytes(), k.oldest().toString())));
        return s;
    }

    /** Progressing in flight gives the figures of status.progress too. */
    private static ConditionVerdict withFigures(ConditionVerdict progressing, List<ProgressStatus> progress) {
        return progressing.status() ? new ConditionVerdict(progressing.status(), progressing.unknown(), progressing.reason(),
                OperationProgress.withFigures(progressing.message(), progress)) : progressing;
    }

    /** A recovery that waits names its ways out, with the commands, in Progressing, and in Degraded once it is stuck. */
    private static ConditionVerdict withWayOut(ConditionVerdict verdict, StatusInput in, boolean forming) {
        return RecoveryWayOut.of(in.step(), in.clusterName(), forming)
                .map(way -> new ConditionVerdict(verdict.status(), verdict.unknown(), verdict.reason(), verdict.message() + ". " + way))
                .orElse(verdict);
    }

    /** A pod stuck Terminating holds back whatever is in flight: Progressing names it and the command that frees it. */
    private static ConditionVerdict stuckPodNamed(ConditionVerdict progressing, StatusInput in) {
        return StuckPods.hint(in.observation(), ordinal -> ClusterNames.member(in.clusterName(), ordinal))
                .map(hint -> new ConditionVerdict(progressing.status(), progressing.unknown(), progressing.reason(),
                        progressing.message() + "; " + hint))
                .orElse(progressing);
    }
}

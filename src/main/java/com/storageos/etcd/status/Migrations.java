package com.storageos.etcd.status;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.api.v1alpha1.status.MigrationStatus;
import com.storageos.etcd.api.v1alpha1.status.StorageOSNodeRestartStatus;
import com.storageos.etcd.membership.Migration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Maps the planner's migration state to status.migration and back; member IDs in hex, as etcdctl prints them. */
public final class Migrations {
    private Migrations() {
    }

    public static Optional<Migration> read(MigrationStatus s) {
        if (s == null || s.getPhase() == null) {
            return Optional.empty();
        }
        return Optional.of(new Migration(Migration.Phase.valueOf(s.getPhase()), s.getPlanId() == null ? "" : s.getPlanId(),
                s.getPlan() == null ? List.of() : s.getPlan(),
                Optional.ofNullable(s.getExternalMembers()).orElse(List.of()).stream()
                        .map(id -> Long.parseUnsignedLong(id, 16)).collect(Collectors.toSet()),
                s.getFailureReason() == null ? null : ConditionReason.valueOf(s.getFailureReason()), s.getFailure(),
                s.getStorageosSwitchedAt() == null ? null : Instant.parse(s.getStorageosSwitchedAt()),
                Optional.ofNullable(s.getStorageosNodeRestart()).map(r -> new Migration.NodeRestart(r.getPod(), r.getPodUid(), r.getNode(),
                        Instant.parse(r.getRequestedAt()))).orElse(null)));
    }

    public static MigrationStatus write(Migration m) {
        MigrationStatus s = new MigrationStatus();
        s.setPhase(m.phase().name());
        s.setPlanId(m.planId());
        s.setPlan(m.plan());
        s.setExternalMembers(m.externalIds().stream().sorted().map(Long::toHexString).toList());
        s.setFailureReason(m.failureReason() == null ? null : m.failureReason().name());
        s.setFailure(m.failure().isEmpty() ? null : m.failure());
        s.setStorageosSwitchedAt(m.switchedAt() == null ? null : m.switchedAt().toString());
        s.setStorageosNodeRestart(m.nodeRestart() == null ? null : new StorageOSNodeRestartStatus(m.nodeRestart().pod(),
                m.nodeRestart().uid(), m.nodeRestart().node(), m.nodeRestart().at().toString()));
        return s;
    }
}

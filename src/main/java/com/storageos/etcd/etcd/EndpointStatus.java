package com.storageos.etcd.etcd;

import java.util.List;

/**
 * What one member says about itself (etcd's {@code Maintenance/Status}).
 *
 * @param dbSize      bytes the backend file takes on disk
 * @param dbSizeInUse bytes actually in use; the difference is what defragmentation reclaims
 * @param revision    the key-value store's revision when the member answered
 */
public record EndpointStatus(
        long memberId,
        long leaderId,
        String version,
        long dbSize,
        long dbSizeInUse,
        long raftIndex,
        long raftTerm,
        long raftAppliedIndex,
        boolean learner,
        List<String> errors,
        long revision) {

    public EndpointStatus {
        errors = List.copyOf(errors);
    }

    /**
     * The errors that make this member unhealthy: "no leader" or a CORRUPT alarm, not a NOSPACE alarm,
     * which blocks only writes, shows on every member at once and is cured by defragmenting them.
     */
    public List<String> healthErrors() {
        return errors.stream().filter(e -> !e.contains("alarm:" + EtcdAlarm.NOSPACE)).toList();
    }

    public boolean isLeader() {
        return memberId != 0 && memberId == leaderId;
    }
}

package com.storageos.etcd.etcdclient;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

    private static final Pattern ALARM = Pattern.compile("alarm:(\\w+)");

    public EndpointStatus {
        errors = List.copyOf(errors);
    }

    /**
     * The errors that make this member unhealthy: "no leader" or a CORRUPT alarm, not a NOSPACE alarm,
     * which blocks only writes, shows on every member at once and is cured by defragmenting them.
     */
    public List<String> healthErrors() {
        return errors.stream().filter(e -> !alarmType(e).equals(Optional.of(EtcdAlarm.NOSPACE))).toList();
    }

    /** The active alarms' types, e.g. NOSPACE; every member lists every member's alarms. */
    public Set<String> alarmTypes() {
        return errors.stream().map(EndpointStatus::alarmType).flatMap(Optional::stream).collect(Collectors.toSet());
    }

    /** etcd lists an alarm as "memberID:<id> alarm:<TYPE> ". */
    private static Optional<String> alarmType(String error) {
        Matcher m = ALARM.matcher(error);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public boolean isLeader() {
        return memberId != 0 && memberId == leaderId;
    }
}

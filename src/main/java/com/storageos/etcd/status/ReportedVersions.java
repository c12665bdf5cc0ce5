package com.storageos.etcd.status;

import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.EtcdVersion;
import com.storageos.etcd.membership.ObservedMember;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The versions the status reports as etcd reports them. Admission reads the lowest member version before a move to
 * etcd 3.6, so it may only rise on evidence: a member that did not answer may still run the older release.
 */
final class ReportedVersions {
    private ReportedVersions() {
    }

    /**
     * The lowest server version the started members report, by number ("3.5.9" is below "3.5.10"). It rises above
     * {@code before} only when every started member answered; it falls as soon as one member reports a lower one.
     */
    static String lowestMember(ClusterObservation obs, String before) {
        List<ObservedMember> started = obs.members().stream().filter(ObservedMember::started).toList();
        Optional<EtcdVersion> lowest = started.stream().map(m -> EtcdVersion.parse(m.version())).flatMap(Optional::stream)
                .min(Comparator.naturalOrder());
        if (lowest.isEmpty()) {
            return before;
        }
        boolean everyMemberAnswered = started.stream().allMatch(m -> EtcdVersion.parse(m.version()).isPresent());
        Optional<EtcdVersion> previous = EtcdVersion.parse(before);
        if (everyMemberAnswered || previous.isEmpty() || lowest.get().compareTo(previous.get()) < 0) {
            return lowest.get().toString();
        }
        return before;
    }

    /** etcd's cluster version; kept from {@code before} while no member says. */
    static String cluster(ClusterObservation obs, String before) {
        return obs.clusterVersion().isEmpty() ? before : obs.clusterVersion();
    }
}

package com.storageos.etcd.status;

import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.membership.RecordedMembership;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * Reads status.members back as the {@link RecordedMembership}; a member is placed by {@code ordinalOf}, the same recognition
 * the observation uses (its peer URL, and with pod-IP peer URLs its pod's IP or its name): a member it cannot place gets no pod.
 */
public final class RecordedMembers {
    private RecordedMembers() {
    }

    public static RecordedMembership read(EtcdClusterStatus status, ToIntFunction<MemberStatus> ordinalOf) {
        List<MemberStatus> members = Optional.ofNullable(status).map(EtcdClusterStatus::getMembers).orElse(List.of());
        return new RecordedMembership(members.stream().filter(Objects::nonNull)
                .map(ordinalOf::applyAsInt).filter(ordinal -> ordinal >= 0).collect(Collectors.toSet()),
                (int) members.stream().filter(m -> "Voter".equals(m.getRole())).count());
    }
}

package com.storageos.etcd.naming;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Members on loopback addresses, for running them as local processes; configured by a {@code 127.…} prefix. */
public interface LoopbackAddressing extends MemberAddressing {
    /** The prefix {@link #parse} reads back. */
    String prefix();

    /** A local process listens on its own address only. */
    @Override
    default String listenHostTemplate(ClusterNames names) {
        return memberHostTemplate(names);
    }

    /** No Service in front: member 0 stands in for it. */
    @Override
    default String clientServiceAddress(ClusterNames names) {
        return memberHost(names, 0) + ":" + CLIENT_PORT;
    }

    /** Every address an ordinal (0–9) can have: no wildcard covers IP addresses. */
    @Override
    default List<String> certificateHosts(ClusterNames names) {
        return Stream.concat(IntStream.range(0, 10).mapToObj(i -> memberHost(names, i)), Stream.of("localhost", "127.0.0.1")).toList();
    }

    /**
     * {@code 127.<a>.<b>}: every cluster on the same addresses ({@link LoopbackMemberAddressing});
     * {@code 127.<a>}: each cluster on its own third octet ({@link PerClusterLoopbackAddressing}).
     */
    static LoopbackAddressing parse(String prefix) {
        String[] parts = prefix.split("\\.");
        if (parts.length == 2 && parts[0].equals("127")) {
            return new PerClusterLoopbackAddressing(Integer.parseInt(parts[1]));
        }
        return LoopbackMemberAddressing.parse(prefix);
    }
}

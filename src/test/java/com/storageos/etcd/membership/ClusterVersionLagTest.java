package com.storageos.etcd.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** When etcd's cluster version has yet to follow an upgrade: the status is then looked at again soon, not at the resync. */
class ClusterVersionLagTest {

    @Test
    void theClusterVersionIsBehindOnlyOnceEveryStartedMemberRunsANewerMinor() {
        assertThat(observed("3.4.0", "3.5.16", "3.5.16", "3.5.16").clusterVersionBehindMembers()).as("every member upgraded").isTrue();
        assertThat(observed("3.4.0", "3.5.16", "3.4.23", "3.5.16").clusterVersionBehindMembers()).as("mid-rollout").isFalse();
        assertThat(observed("3.5.0", "3.5.30", "3.5.30", "3.5.30").clusterVersionBehindMembers()).as("a patch upgrade").isFalse();
        assertThat(observed("3.5.0", "3.5.30", "", "3.5.30").clusterVersionBehindMembers()).as("a member did not say").isFalse();
        assertThat(observed("", "3.5.30", "3.5.30", "3.5.30").clusterVersionBehindMembers()).as("etcd did not say").isFalse();
        assertThat(observed("3.4.0").clusterVersionBehindMembers()).as("no member started").isFalse();
    }

    private static ClusterObservation observed(String clusterVersion, String... memberVersions) {
        List<ObservedMember> members = IntStream.range(0, memberVersions.length).mapToObj(i -> new ObservedMember(Cluster.idOf(i), "etcd-" + i,
                Cluster.peerUrl(i), Cluster.clientUrl(i), i, false, true, i == 0, memberVersions[i], 0, 0, 100, 100, Cluster.idOf(0), 2)).toList();
        return new ClusterObservation(true, members, Map.of(), memberVersions.length, Set.of(), Set.of(), 1, Instant.EPOCH, clusterVersion,
                Optional.empty());
    }
}

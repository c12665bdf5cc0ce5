package com.storageos.etcd.reconciler.etcdcluster.members;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.DnsMemberAddressing;
import com.storageos.etcd.status.RecordedMembers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The StatefulSet's replica count when no step sets one: status.members read back with the recognition the observation
 * uses. With {@code peerAddressing: PodIP} our members sit at their pods' IPs while a migration runs; each of them must keep
 * its pod, or the reconciler lowers the StatefulSet under them (to 0 when no journal is open).
 */
class RecordedPodCountTest {
    static final ClusterNames NAMES = new ClusterNames("storageos-etcd", "etcd");
    static final MemberUrls URLS = new MemberUrls(NAMES, new DnsMemberAddressing("cluster.local"), false, false);

    @Test
    void membersAtTheirPodsIpsDuringAPodIpMigrationKeepTheirPods() {
        EtcdClusterStatus status = status(external(), ours(0, 1, 2));

        assertThat(podCount(status, pods(0, 1, 2), true)).isEqualTo(3);
    }

    @Test
    void aMemberWhosePodIsGoneIsPlacedByItsName() {
        // The pods were deleted (a hand-made kubectl scale sts --replicas=0): only the names say which ordinals they were.
        EtcdClusterStatus status = status(external(), ours(0, 1, 2));

        assertThat(podCount(status, Map.of(), true)).isEqualTo(3);
    }

    @Test
    void aLearnerThatHasNotStartedIsPlacedByItsPodsIp() {
        MemberStatus learner = new MemberStatus();
        learner.setRole("Learner");
        learner.setPeerURL(podIpPeerUrl(2));
        EtcdClusterStatus status = status(external(), ours(0, 1), List.of(learner));

        assertThat(podCount(status, pods(0, 1, 2), true)).isEqualTo(3);
    }

    @Test
    void externalMembersGetNoPod() {
        assertThat(podCount(status(external()), pods(0, 1, 2), true)).isZero();
    }

    @Test
    void membersAtTheirDnsPeerUrlsKeepTheirPods() {
        List<MemberStatus> members = IntStream.range(0, 3).mapToObj(i -> member(NAMES.member(i), URLS.peerUrl(i))).toList();

        assertThat(podCount(status(members), pods(0, 1, 2), false)).isEqualTo(3);
    }

    private static int podCount(EtcdClusterStatus status, Map<Integer, PodState> pods, boolean podIpPeers) {
        MemberRecognition recognition = new MemberRecognition(URLS, NAMES, pods, podIpPeers);
        return RecordedMembers.read(status, recognition::ordinalOfRecorded).podCount(Optional.empty(), i -> "");
    }

    @SafeVarargs
    private static EtcdClusterStatus status(List<MemberStatus>... groups) {
        EtcdClusterStatus status = new EtcdClusterStatus();
        List<MemberStatus> members = new ArrayList<>();
        for (List<MemberStatus> group : groups) {
            members.addAll(group);
        }
        status.setMembers(members);
        return status;
    }

    private static List<MemberStatus> external() {
        return IntStream.range(0, 3).mapToObj(i -> member("infra" + i, "http://192.168.7." + (10 + i) + ":2380")).toList();
    }

    private static List<MemberStatus> ours(int... ordinals) {
        return IntStream.of(ordinals).mapToObj(i -> member(NAMES.member(i), podIpPeerUrl(i))).toList();
    }

    private static Map<Integer, PodState> pods(int... ordinals) {
        return IntStream.of(ordinals).boxed().collect(Collectors.toMap(i -> i,
                i -> new PodState(i, true, false, false, true, false).withIp(podIp(i))));
    }

    private static String podIp(int ordinal) {
        return "10.244.1." + (20 + ordinal);
    }

    private static String podIpPeerUrl(int ordinal) {
        return "http://" + podIp(ordinal) + ":2380";
    }

    private static MemberStatus member(String name, String peerUrl) {
        MemberStatus m = new MemberStatus();
        m.setName(name);
        m.setRole("Voter");
        m.setPeerURL(peerUrl);
        return m;
    }
}

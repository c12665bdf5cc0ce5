package com.storageos.etcd.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** spec.bootstrap.join.peerAddressing PodIP: when the planner moves a member's peer URL, and when it does not. */
class PeerUrlPlannerTest {
    final MembershipPlanner planner = new MembershipPlanner();

    static String podIp(int ordinal) {
        return "10.244.0." + (10 + ordinal);
    }

    static String podIpUrl(int ordinal) {
        return "http://" + podIp(ordinal) + ":2380";
    }

    static ObservedMember ours(int ordinal, String peerUrl, boolean learner, boolean started, boolean healthy) {
        return new ObservedMember(Cluster.idOf(ordinal), started ? "etcd-" + ordinal : "", peerUrl, Cluster.clientUrl(ordinal), ordinal,
                learner, healthy, false, "3.4.23", 1, 1, 10, 10, 0, 2);
    }

    static ObservedMember voterAtPodIp(int ordinal) {
        return ours(ordinal, podIpUrl(ordinal), false, true, true);
    }

    static ClusterObservation observe(List<ObservedMember> members, Map<Integer, PodState> extraPods, int replicas) {
        Map<Integer, PodState> pods = new HashMap<>(members.stream().filter(m -> m.ordinal() >= 0).collect(Collectors.toMap(
                ObservedMember::ordinal, m -> new PodState(m.ordinal(), true, false, false, true, false).withIp(podIp(m.ordinal())))));
        pods.putAll(extraPods);
        return new ClusterObservation(true, members, pods, replicas, pods.keySet(), Set.of(), 0xc1, MigrationPlannerTest.NOW, "", Optional.empty());
    }

    Step plan(List<ObservedMember> members, Migration.Phase phase, Optional<Journal> journal, boolean podIpPeers) {
        int replicas = members.stream().mapToInt(ObservedMember::ordinal).max().orElse(-1) + 1;
        return plan(observe(members, Map.of(), replicas), phase, journal, podIpPeers);
    }

    Step plan(ClusterObservation obs, Migration.Phase phase, Optional<Journal> journal, boolean podIpPeers) {
        Migration recorded = new Migration(phase, "plan", List.of("check"), Set.of(0xe1L, 0xe2L, 0xe3L));
        int recordedPods = new RecordedMembership(obs.members().stream().filter(m -> m.ordinal() >= 0).map(ObservedMember::ordinal)
                .collect(Collectors.toSet()), 0).podCount(journal, Cluster::peerUrl);
        return planner.next(new PlanInput(3, obs, journal, true, Cluster::peerUrl, Cluster.LEARNER_DEADLINE, recordedPods,
                Optional.empty(), Optional.of(new MigrationInput(Optional.of(recorded), Optional.of("plan"), true, true, podIpPeers))));
    }

    static List<ObservedMember> with(List<ObservedMember> ours) {
        List<ObservedMember> all = new ArrayList<>(MigrationPlannerTest.healthyExternals());
        all.addAll(ours);
        return all;
    }

    static Journal adding(int ordinal, String peerUrl) {
        return Journal.start(Operation.ScaleUp, Phase.AddRequested, ordinal, peerUrl, 0, MigrationPlannerTest.NOW);
    }

    @Test
    void aLearnerIsAddedAtItsPodsIpItsPodStartingFirst() {
        List<ObservedMember> members = with(List.of(voterAtPodIp(0)));
        Step open = plan(members, Migration.Phase.Joining, Optional.empty(), true);
        assertThat(open).isEqualTo(new Step.RecordJournal(Optional.of(adding(1, "")), "PodBeforeLearner"));
        Optional<Journal> podFirst = Optional.of(adding(1, ""));
        assertThat(new RecordedMembership(Set.of(0), 1).podCount(podFirst, Cluster::peerUrl)).as("its pod is counted from now on").isEqualTo(2);
        assertThat(new RecordedMembership(Set.of(0), 1).podCount(Optional.of(adding(1, "http://10.0.0.11:2380")), Cluster::peerUrl))
                .as("and still once its pod's IP is recorded, until the add").isEqualTo(2);

        assertThat(plan(observe(members, Map.of(), 1), Migration.Phase.Joining, podFirst, true)).isEqualTo(new Step.StartMember(1, 2));
        PodState withoutIp = new PodState(1, false, false, false, true, false, false, false);
        assertThat(plan(observe(members, Map.of(1, withoutIp), 2), Migration.Phase.Joining, podFirst, true))
                .isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.LearnerStarting));
        ClusterObservation podUp = observe(members, Map.of(1, withoutIp.withIp(podIp(1))), 2);
        assertThat(plan(podUp, Migration.Phase.Joining, podFirst, true))
                .isEqualTo(new Step.RecordJournal(Optional.of(adding(1, podIpUrl(1))), "LearnerPodIp"));
        assertThat(plan(podUp, Migration.Phase.Joining, Optional.of(adding(1, podIpUrl(1))), true))
                .isEqualTo(new Step.AddLearner(adding(1, podIpUrl(1))));
        // The pod came back at another IP before the add: the URL to add follows it.
        ClusterObservation moved = observe(members, Map.of(1, withoutIp.withIp("10.244.7.7")), 2);
        assertThat(plan(moved, Migration.Phase.Joining, Optional.of(adding(1, podIpUrl(1))), true))
                .isEqualTo(new Step.RecordJournal(Optional.of(adding(1, "http://10.244.7.7:2380")), "LearnerPodIp"));
    }

    @Test
    void aLearnersUrlIsNeverUpdatedBecauseEtcd34sMemberUpdateWouldForgetItIsALearner() {
        List<ObservedMember> stale = with(List.of(voterAtPodIp(0), ours(1, "http://10.244.9.9:2380", true, true, true)));
        Optional<Journal> added = Optional.of(Journal.start(Operation.ScaleUp, Phase.MemberAdded, 1, "http://10.244.9.9:2380",
                Cluster.idOf(1), MigrationPlannerTest.NOW));
        assertThat(plan(stale, Migration.Phase.Joining, added, true)).isEqualTo(new Step.PromoteLearner(Cluster.idOf(1), 1));
        // Nor does a voter's URL change while that learner's journal is open: the learner joins from the recorded initial cluster.
        List<ObservedMember> staleVoter = with(List.of(ours(0, "http://10.244.9.8:2380", false, true, true),
                ours(1, podIpUrl(1), true, false, false)));
        assertThat(plan(staleVoter, Migration.Phase.Joining, added, true)).isNotInstanceOf(Step.UpdatePeerUrl.class);
    }

    @Test
    void aMemberWhosePodCameBackAtANewIpFollowsIt() {
        List<ObservedMember> stale = with(List.of(voterAtPodIp(0), ours(1, "http://10.244.9.9:2380", false, true, false), voterAtPodIp(2)));
        assertThat(plan(stale, Migration.Phase.RemovingExternalMembers, Optional.empty(), true))
                .isEqualTo(new Step.UpdatePeerUrl(Cluster.idOf(1), 1, podIpUrl(1), "its pod came back at a new IP"));
    }

    @Test
    void onceTheExternalMembersAreGoneEveryMemberMovesBackToItsDnsNameOneAtATimeBeforeTheMigrationCompletes() {
        List<ObservedMember> atPodIps = List.of(voterAtPodIp(0), voterAtPodIp(1), voterAtPodIp(2));
        assertThat(plan(atPodIps, Migration.Phase.RemovingExternalMembers, Optional.empty(), true)).isEqualTo(
                new Step.UpdatePeerUrl(Cluster.idOf(0), 0, Cluster.peerUrl(0), "the external members are gone: back to its stable DNS name"));
        List<ObservedMember> oneLeft = List.of(ours(0, Cluster.peerUrl(0), false, true, true), ours(1, Cluster.peerUrl(1), false, true, true),
                voterAtPodIp(2));
        assertThat(plan(oneLeft, Migration.Phase.RemovingExternalMembers, Optional.empty(), true))
                .isInstanceOfSatisfying(Step.UpdatePeerUrl.class, u -> assertThat(u.ordinal()).isEqualTo(2));
        List<ObservedMember> atDns = List.of(ours(0, Cluster.peerUrl(0), false, true, true), ours(1, Cluster.peerUrl(1), false, true, true),
                ours(2, Cluster.peerUrl(2), false, true, true));
        assertThat(plan(atDns, Migration.Phase.RemovingExternalMembers, Optional.empty(), true))
                .isInstanceOfSatisfying(Step.MigrationProgress.class, p -> assertThat(p.next().phase()).isEqualTo(Migration.Phase.Completed));
    }

    @Test
    void noPeerUrlChangesWithoutQuorum() {
        List<ObservedMember> members = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            members.add(MigrationPlannerTest.external(i, false, false, "3.4.23"));
        }
        members.add(ours(0, "http://10.244.9.9:2380", false, true, true));
        assertThat(plan(members, Migration.Phase.Joining, Optional.empty(), true))
                .isInstanceOfSatisfying(Step.Blocked.class, b -> assertThat(b.reason()).isEqualTo(ConditionReason.QuorumLost));
    }

    @Test
    void withServiceDnsAddressingLearnersAreAddedAtTheirDnsNamesAndNoUrlChanges() {
        assertThat(plan(with(List.of(ours(0, Cluster.peerUrl(0), false, true, true))), Migration.Phase.Joining, Optional.empty(), false))
                .isEqualTo(new Step.AddLearner(adding(1, Cluster.peerUrl(1))));
        List<ObservedMember> atDns = List.of(ours(0, Cluster.peerUrl(0), false, true, true), ours(1, Cluster.peerUrl(1), false, true, true),
                ours(2, Cluster.peerUrl(2), false, true, true));
        assertThat(plan(atDns, Migration.Phase.RemovingExternalMembers, Optional.empty(), false))
                .isInstanceOfSatisfying(Step.MigrationProgress.class, p -> assertThat(p.next().phase()).isEqualTo(Migration.Phase.Completed));
    }
}

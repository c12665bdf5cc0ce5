package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.Cluster.idOf;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import com.storageos.etcd.membership.MembershipDisagreement.Report;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Members that do not tell one story about who they are: found, named, and nothing destructive planned meanwhile. */
class MembershipDisagreementTest {
    private static final long CLUSTER = 0xc1;
    private static final Set<Long> THREE = Set.of(idOf(0), idOf(1), idOf(2));
    private final MembershipPlanner planner = new MembershipPlanner();

    @Test
    void membersThatAgreeWithEachOtherAndTheRecordedIdAreNoDisagreement() {
        assertThat(MembershipDisagreement.find(List.of(new Report("etcd-0", CLUSTER, THREE), new Report("etcd-1", CLUSTER, THREE)),
                Optional.of(CLUSTER))).isEmpty();
    }

    @Test
    void aStaleOneMemberListNamesTheMemberThatHoldsIt() {
        Optional<MembershipDisagreement> found = MembershipDisagreement.find(List.of(new Report("etcd-0", CLUSTER, Set.of(idOf(0))),
                new Report("etcd-1", CLUSTER, THREE), new Report("etcd-2", CLUSTER, THREE)), Optional.of(CLUSTER));
        assertThat(found).get().extracting(MembershipDisagreement::members).isEqualTo(Set.of("etcd-0"));
        assertThat(found.get().message()).contains("etcd-0 lists members [100]", "etcd-1, etcd-2 list members [100,101,102]");
    }

    @Test
    void differentClusterIdsOrOneOtherThanTheRecordedNameTheMembers() {
        assertThat(MembershipDisagreement.find(List.of(new Report("etcd-0", CLUSTER, THREE), new Report("etcd-1", 0xd2, THREE)),
                Optional.empty())).get().extracting(MembershipDisagreement::members).isEqualTo(Set.of("etcd-0", "etcd-1"));
        Optional<MembershipDisagreement> againstStatus = MembershipDisagreement.find(List.of(new Report("etcd-0", 0xd2, THREE),
                new Report("etcd-1", 0xd2, THREE)), Optional.of(CLUSTER));
        assertThat(againstStatus).get().extracting(MembershipDisagreement::members).isEqualTo(Set.of("etcd-0", "etcd-1"));
        assertThat(againstStatus.get().message()).contains("etcd-0 reports cluster ID d2", "status.clusterId is c1");
    }

    /** The review's case: member 0 answered with a one-member list, and the StatefulSet was lowered under two healthy members. */
    @Test
    void aStaleListRetiresNoPod() {
        Cluster seenThroughMemberZero = Cluster.of(voter(0).leader()).statefulSetReplicas(3);
        assertThat(planner.next(seenThroughMemberZero.desiring(3))).isInstanceOf(Step.RetireOrdinal.class);
        Step held = planner.next(seenThroughMemberZero.disagreeing(staleMemberZero()).desiring(3));
        assertThat(held).isInstanceOfSatisfying(Step.Wait.class, w -> {
            assertThat(w.reason()).isEqualTo(ConditionReason.MembershipDisagreement);
            assertThat(w.message()).contains("etcd-0", "held: RetireOrdinal");
        });
    }

    @Test
    void noMemberIsRemovedNorARetirementOfAScaleDownCarriedOut() {
        Cluster lostVolume = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).podLostData(2);
        assertThat(planner.next(lostVolume.desiring(3))).isInstanceOf(Step.RemoveMember.class);
        assertThat(planner.next(lostVolume.disagreeing(staleMemberZero()).desiring(3))).isInstanceOf(Step.Wait.class);

        Cluster twoLeft = Cluster.of(voter(0).leader(), voter(1)).statefulSetReplicas(3);
        Journal removed = Journal.start(Operation.ScaleDown, Phase.MemberRemoved, 2, Cluster.peerUrl(2), 0, Cluster.T0);
        assertThat(planner.next(twoLeft.desiring(2, removed))).isInstanceOf(Step.RetireOrdinal.class);
        assertThat(planner.next(twoLeft.disagreeing(staleMemberZero()).desiring(2, removed))).isInstanceOf(Step.Wait.class);
    }

    @Test
    void noLearnerIsPromotedNorAddedNorAPodRestarted() {
        Cluster learnerReady = Cluster.of(voter(0).leader(), voter(1), voter(2), Cluster.learner(3));
        Journal added = Journal.start(Operation.ScaleUp, Phase.MemberAdded, 3, Cluster.peerUrl(3), idOf(3), Cluster.T0);
        assertThat(planner.next(learnerReady.desiring(5, added))).isInstanceOf(Step.PromoteLearner.class);
        assertThat(planner.next(learnerReady.disagreeing(staleMemberZero()).desiring(5, added))).isInstanceOf(Step.Wait.class);

        Cluster three = Cluster.of(voter(0).leader(), voter(1), voter(2));
        assertThat(planner.next(three.desiring(5))).isInstanceOf(Step.AddLearner.class);
        assertThat(planner.next(three.disagreeing(staleMemberZero()).desiring(5))).isInstanceOf(Step.Wait.class);
    }

    /** Raising the pods takes nothing away: a member whose pod is missing still gets it back. */
    @Test
    void nonDestructiveStepsGoOn() {
        Cluster podMissing = Cluster.of(voter(0).leader(), voter(1), voter(2)).statefulSetReplicas(2).disagreeing(staleMemberZero());
        assertThat(planner.next(podMissing.desiring(3))).isInstanceOf(Step.StartMember.class);
    }

    /** A restore forms a new cluster ID by design: its steps are not held against status.clusterId. */
    @Test
    void aRecoveryInFlightIsNotHeld() {
        Step planned = new Step.RestartPod(1, new Step.RestartPod.Purpose(ConditionReason.RestoringFromBackup, "seed"));
        Journal restore = Journal.start(Operation.RestoreFromBackup, Phase.SeedFromBackup, 0, Cluster.peerUrl(0), 0, Cluster.T0);
        assertThat(staleMemberZero().hold(planned, Optional.of(restore))).isSameAs(planned);
        assertThat(staleMemberZero().hold(planned, Optional.empty())).isInstanceOf(Step.Wait.class);
    }

    private static MembershipDisagreement staleMemberZero() {
        return MembershipDisagreement.find(List.of(new Report("etcd-0", CLUSTER, Set.of(idOf(0))), new Report("etcd-1", CLUSTER, THREE),
                new Report("etcd-2", CLUSTER, THREE)), Optional.of(CLUSTER)).orElseThrow();
    }
}

package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.MigrationPlannerTest.NOW;
import static com.storageos.etcd.membership.MigrationPlannerTest.external;
import static com.storageos.etcd.membership.MigrationPlannerTest.healthyExternals;
import static com.storageos.etcd.membership.MigrationPlannerTest.observe;
import static com.storageos.etcd.membership.MigrationPlannerTest.ours;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A join that fails (a learner that cannot start, or that the external members cannot reach) is rolled back, and retried only anew. */
class MigrationRollbackTest {
    final MembershipPlanner planner = new MembershipPlanner();
    final Migration plan = new Migration(Migration.Phase.Joining, "p1", List.of("step"), Set.of(0xe1L, 0xe2L, 0xe3L));
    final long learnerId = Cluster.idOf(1);

    /** Member 0 of ours votes, member 1 is a started learner whose scale-up journal is {@code age} old. */
    Step joining(Map<Long, Map<Long, PeerProbe>> probes, Duration age) {
        List<ObservedMember> members = new ArrayList<>(healthyExternals());
        members.add(ours(0, false, false));
        members.add(ours(1, true, false));
        Journal added = Journal.start(Operation.ScaleUp, Phase.MemberAdded, 1, Cluster.peerUrl(1), learnerId, NOW.minus(age));
        return plan(members, Optional.of(plan), Optional.of(added), Optional.empty(), probes);
    }

    Step plan(List<ObservedMember> members, Optional<Migration> recorded, Optional<Journal> journal, Optional<String> approval,
              Map<Long, Map<Long, PeerProbe>> probes) {
        ClusterObservation obs = observe(members);
        return planner.next(new PlanInput(3, obs, journal, true, Cluster::peerUrl, Cluster.LEARNER_DEADLINE, obs.memberPodCount(),
                Optional.empty(), Optional.of(new MigrationInput(recorded, approval, true, false, false).withPeerProbes(probes))));
    }

    /** Every external member reached the learner, except {@code unreached}; the learner reached them all {@code observations} times. */
    Map<Long, Map<Long, PeerProbe>> probes(long unreached, long observations) {
        Map<Long, Map<Long, PeerProbe>> probes = new HashMap<>();
        Map<Long, PeerProbe> learnerSees = new HashMap<>();
        for (long id : List.of(0xe1L, 0xe2L, 0xe3L)) {
            probes.put(id, Map.of(learnerId, new PeerProbe(6, id != unreached)));
            learnerSees.put(id, new PeerProbe(observations, true));
        }
        probes.put(learnerId, learnerSees);
        return probes;
    }

    @Test
    void aLearnerIsPromotedOnlyOnceEveryExternalMemberReachedItsPeerUrl() {
        assertThat(joining(probes(0xe2, 2), Duration.ofSeconds(10))).isInstanceOfSatisfying(Step.Wait.class, w -> {
            assertThat(w.reason()).isEqualTo(ConditionReason.MigrationVerifyingPeers);
            assertThat(w.message()).contains("old-2", Cluster.peerUrl(1));
        });
        assertThat(joining(probes(0, 2), Duration.ofSeconds(10))).isInstanceOf(Step.PromoteLearner.class);
        // Metrics that could not be read judge nothing: the join goes on as without the check.
        assertThat(joining(Map.of(), Duration.ofSeconds(10))).isInstanceOf(Step.PromoteLearner.class);
    }

    @Test
    void anExternalMemberThatNeverReachedTheLearnerWhileTheLearnerReachedItFailsTheMigration() {
        Step failed = joining(probes(0xe2, JoinGuard.UNREACHED_AFTER_PROBES), Duration.ofSeconds(10));
        assertThat(failed).isInstanceOfSatisfying(Step.MigrationProgress.class, p -> {
            assertThat(p.reason()).isEqualTo(ConditionReason.MigrationPeerUnreachable);
            assertThat(p.next().phase()).isEqualTo(Migration.Phase.RollingBack);
            assertThat(p.next().failureReason()).isEqualTo(ConditionReason.MigrationPeerUnreachable);
            assertThat(p.next().failure()).contains("external member old-2 (http://10.0.0.2:2379)", "never reached new member " + Cluster.peerUrl(1));
        });
    }

    @Test
    void aLearnerNotPromotedWithinTheDeadlineFailsTheMigrationInsteadOfTheScaleUpRollback() {
        Step failed = joining(Map.of(), Cluster.LEARNER_DEADLINE.plusSeconds(1));
        assertThat(failed).isInstanceOfSatisfying(Step.MigrationProgress.class, p -> {
            assertThat(p.reason()).isEqualTo(ConditionReason.MigrationFailed);
            assertThat(p.next().failure()).contains("learner " + Cluster.peerUrl(1), "was not promoted within");
        });
    }

    @Test
    void aLearnerOfOursListedWithoutAJournalIsAdoptedNotJoinedByAFourthMember() {
        // A member list read from a member that has not applied the promotion yet, after the journal closed.
        List<ObservedMember> members = new ArrayList<>(healthyExternals());
        members.add(ours(0, false, false));
        members.add(ours(1, false, false));
        members.add(ours(2, true, false));
        assertThat(plan(members, Optional.of(plan), Optional.empty(), Optional.empty(), Map.of()))
                .isInstanceOfSatisfying(Step.RecordJournal.class, r -> assertThat(r.next()).hasValueSatisfying(j -> {
                    assertThat(j.ordinal()).isEqualTo(2);
                    assertThat(j.phase()).isEqualTo(Phase.MemberAdded);
                }));
    }

    @Test
    void theRollbackRemovesLearnersFirstThenVotersOfOursOnlyWhileTheExternalQuorumHolds() {
        Migration rollingBack = plan.failing(ConditionReason.MigrationFailed, "learner did not start");
        List<ObservedMember> both = new ArrayList<>(healthyExternals());
        both.add(ours(0, false, false));
        both.add(ours(1, true, false));
        Journal failedScaleUp = Journal.start(Operation.ScaleUp, Phase.MemberAdded, 1, Cluster.peerUrl(1), learnerId, NOW);
        assertThat(plan(both, Optional.of(rollingBack), Optional.of(failedScaleUp), Optional.empty(), Map.of()))
                .isInstanceOfSatisfying(Step.RemoveMember.class, r -> {
                    assertThat(r.journal().operation()).isEqualTo(Operation.RollBackMigration);
                    assertThat(r.journal().memberId()).isEqualTo(learnerId);
                });
        List<ObservedMember> voter = new ArrayList<>(healthyExternals());
        voter.add(ours(0, false, false));
        assertThat(plan(voter, Optional.of(rollingBack), Optional.empty(), Optional.empty(), Map.of()))
                .isInstanceOfSatisfying(Step.RemoveMember.class, r -> assertThat(r.journal().ordinal()).isZero());
        // Two external members down: 3 of 5 voters healthy, and removing one of ours would leave 2 of 4, below quorum.
        List<ObservedMember> weak = new ArrayList<>(List.of(external(1, true, true, "3.4.23"), external(2, false, false, ""),
                external(3, false, false, "")));
        weak.add(ours(0, false, false));
        weak.add(ours(1, false, false));
        assertThat(plan(weak, Optional.of(rollingBack), Optional.empty(), Optional.empty(), Map.of()))
                .isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.reason()).isEqualTo(ConditionReason.QuorumAtRisk));
        List<ObservedMember> leading = new ArrayList<>(List.of(external(1, true, false, "3.4.23"), external(2, true, false, "3.4.23"),
                external(3, true, false, "3.4.23")));
        leading.add(ours(0, false, true));
        assertThat(plan(leading, Optional.of(rollingBack), Optional.empty(), Optional.empty(), Map.of()))
                .isInstanceOfSatisfying(Step.MoveLeader.class, m -> assertThat(m.toId()).isEqualTo(0xe1));
        // A removal journaled before a crash: re-issued while etcd lists the member, closed once it does not.
        Journal removal = Journal.start(Operation.RollBackMigration, Phase.RemoveRequested, 0, Cluster.peerUrl(0), Cluster.idOf(0), NOW);
        assertThat(plan(voter, Optional.of(rollingBack), Optional.of(removal), Optional.empty(), Map.of())).isInstanceOf(Step.RemoveMember.class);
        assertThat(plan(healthyExternals(), Optional.of(rollingBack), Optional.of(removal), Optional.empty(), Map.of()))
                .isInstanceOfSatisfying(Step.RecordJournal.class, r -> assertThat(r.next()).isEmpty());
    }

    @Test
    void onceOursAreGoneThePodsStopAndTheFailedMigrationWaitsForANewApprovalOfANewPlan() {
        Migration rollingBack = plan.failing(ConditionReason.MigrationPeerUnreachable, "old-2 never reached new member");
        ClusterObservation podsLeft = new ClusterObservation(true, healthyExternals(), Map.of(0, new PodState(0, true, false, false, true,
                false)), 2, Set.of(0, 1), Set.of(), 0xc1, NOW, "", Optional.empty());
        assertThat(planner.next(new PlanInput(3, podsLeft, Optional.empty(), true, Cluster::peerUrl, Cluster.LEARNER_DEADLINE, 0,
                Optional.empty(), Optional.of(new MigrationInput(Optional.of(rollingBack), Optional.empty(), true, false)))))
                .isInstanceOfSatisfying(Step.RetireOrdinal.class, r -> assertThat(r.podCount()).isZero());
        Step done = plan(healthyExternals(), Optional.of(rollingBack), Optional.empty(), Optional.empty(), Map.of());
        assertThat(done).isInstanceOfSatisfying(Step.MigrationProgress.class, p -> {
            assertThat(p.next().phase()).isEqualTo(Migration.Phase.Failed);
            assertThat(p.reason()).isEqualTo(ConditionReason.MigrationPeerUnreachable);
            assertThat(p.message()).contains("old-2 never reached new member", "as it was before the approval", "StorageOS still uses it");
        });
        Migration failed = ((Step.MigrationProgress) done).next();
        Step blocked = plan(healthyExternals(), Optional.of(failed), Optional.empty(), Optional.of(plan.planId()), Map.of());
        assertThat(blocked).isInstanceOfSatisfying(Step.Blocked.class, b -> {
            assertThat(b.reason()).isEqualTo(ConditionReason.MigrationPeerUnreachable);
            assertThat(b.message()).contains("To retry", Migration.APPROVAL_ANNOTATION + "=").doesNotContain("=" + plan.planId() + " ");
        });
        String retry = ((Step.Blocked) blocked).message().replaceAll("(?s).*" + Migration.APPROVAL_ANNOTATION + "=(\\w+).*", "$1");
        assertThat(plan(healthyExternals(), Optional.of(failed), Optional.empty(), Optional.of(retry), Map.of()))
                .isInstanceOfSatisfying(Step.MigrationProgress.class, p -> {
                    assertThat(p.next().phase()).isEqualTo(Migration.Phase.Joining);
                    assertThat(p.next().planId()).isEqualTo(retry);
                    assertThat(p.next().failure()).isEmpty();
                });
    }
}

package com.storageos.etcd.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;

/** The membership rules of docs/architecture.md, checked against every (input, step) pair a scenario produces. */
final class MembershipInvariants {
    private MembershipInvariants() {
    }

    static void check(PlanInput in, Step step) {
        ClusterObservation obs = in.observation();
        String where = obs + " journal=" + in.journal() + " step=" + step;
        if (in.clusterFormed() && !obs.hasQuorum()) {
            assertThat(step).as("quorum lost, only wait or block: " + where)
                    .isInstanceOfAny(Step.Wait.class, Step.Blocked.class, Step.RecordJournal.class, Step.ClusterFormed.class);
        }
        if (step instanceof Step.StartRecovery || step instanceof Step.StartRestore) {
            boolean forced = step instanceof Step.StartRecovery r ? r.request().force() : ((Step.StartRestore) step).request().force();
            assertThat(forced || QuorumVerdict.of(obs).lost()).as("a recovery starts only when the members agree quorum is lost, or"
                    + " when forced: " + where).isTrue();
        }
        if (step instanceof Step.Blocked b && b.reason() == ConditionReason.QuorumLost) {
            assertThat(QuorumVerdict.of(obs).lost()).as("QuorumLost only when the members agree: " + where).isTrue();
        }
        if (step instanceof Step.AddLearner a) {
            assertThat(obs.voters()).as("AddLearner only while every voter is healthy: " + where).allMatch(ObservedMember::healthy);
            in.journal().ifPresent(j -> assertThat(a.journal().ordinal()).as("the open change: " + where).isEqualTo(j.ordinal()));
        }
        if (step instanceof Step.PromoteLearner p) {
            assertThat(obs.member(p.memberId())).as("promote only a started learner: " + where)
                    .hasValueSatisfying(m -> assertThat(m.learner() && m.started()).isTrue());
            assertThat(in.journal()).as("promotion belongs to the open change: " + where)
                    .hasValueSatisfying(j -> assertThat(j.memberId()).isEqualTo(p.memberId()));
            int voters = obs.voters().size() + 1;
            long healthy = obs.healthyVoters() + (obs.member(p.memberId()).orElseThrow().healthy() ? 1 : 0);
            assertThat(2 * healthy).as("the healthy voters after a promotion are a majority of the larger cluster: " + where)
                    .isGreaterThan(voters);
        }
        if (step instanceof Step.RemoveMember r) {
            checkRemoval(in, r, where);
        }
        if (step instanceof Step.MoveLeader m) {
            assertThat(obs.hasQuorum()).as("leadership moves only with quorum: " + where).isTrue();
            assertThat(obs.member(m.toId())).as("leadership moves to a healthy voter: " + where)
                    .hasValueSatisfying(to -> assertThat(to.healthy() && to.voter()).isTrue());
        }
        if (step instanceof Step.RestartPod r && in.journal().isEmpty()) {
            boolean down = obs.memberAt(r.ordinal()).map(m -> !m.healthy()).orElse(true)
                    && obs.pod(r.ordinal()).map(p -> !p.ready()).orElse(true);
            if (down) {
                assertThat(obs.hasQuorum()).as("a down member's pod restarts only while quorum holds without it: " + where).isTrue();
            } else {
                assertThat(obs.voters()).as("a serving member restarts only while every voter is healthy: " + where)
                        .allMatch(ObservedMember::healthy);
                assertThat(obs.pods().values()).as("a serving member restarts only while every other pod is Ready: " + where)
                        .allMatch(p -> p.ready() || p.ordinal() == r.ordinal());
            }
        }
        if (step instanceof Step.StartMember s) {
            assertThat(s.podCount()).as("StartMember only raises replicas: " + where).isGreaterThan(obs.statefulSetReplicas());
        }
        if (step instanceof Step.RetireOrdinal r) {
            assertThat(r.podCount()).as("replicas never below one past the highest member ordinal: " + where)
                    .isGreaterThanOrEqualTo(obs.memberPodCount()).isLessThan(obs.statefulSetReplicas());
        }
    }

    private static void checkRemoval(PlanInput in, Step.RemoveMember r, String where) {
        ClusterObservation obs = in.observation();
        ObservedMember target = obs.member(r.journal().memberId()).orElseThrow();
        if (target.voter()) {
            int remaining = obs.voters().size() - 1;
            long healthyRemaining = obs.healthyVoters() - (target.healthy() ? 1 : 0);
            assertThat(remaining).as("never remove the last voter: " + where).isGreaterThanOrEqualTo(1);
            assertThat(2 * healthyRemaining).as("the remaining healthy voters are a majority: " + where).isGreaterThan(remaining);
        }
        if (r.journal().operation() == Operation.ScaleDown) {
            assertThat(target.leader()).as("leadership moves away before removal: " + where).isFalse();
            assertThat(target.ordinal()).as("scale-down removes the highest ordinal: " + where)
                    .isEqualTo(obs.members().stream().mapToInt(ObservedMember::ordinal).max().orElseThrow());
        }
    }
}

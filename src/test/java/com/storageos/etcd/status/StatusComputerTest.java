package com.storageos.etcd.status;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.clientUrl;
import static com.storageos.etcd.membership.Cluster.learner;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.membership.Cluster;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.MembershipPlanner;
import com.storageos.etcd.membership.PodState;
import com.storageos.etcd.membership.RestartOrder;
import com.storageos.etcd.membership.Step;
import java.time.Duration;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** The conditions and status of a cluster that converges, scales, rolls out or fails a step. */
class StatusComputerTest extends StatusComputerFixture {
    @Test
    void aConvergedClusterIsReadyAvailableNotProgressingNotDegraded() {
        EtcdClusterStatus s = compute(3, CONVERGED, new Step.Converged());
        assertCondition(s, Conditions.READY, "True", "ClusterReady");
        assertCondition(s, Conditions.AVAILABLE, "True", "QuorumHealthy");
        assertCondition(s, Conditions.PROGRESSING, "False", "Converged");
        assertCondition(s, Conditions.DEGRADED, "False", "AsExpected");
        assertThat(s.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(GENERATION));
        assertThat(s.getObservedGeneration()).isEqualTo(GENERATION);
    }

    @Test
    void aPodStuckTerminatingPastItsGracePeriodIsNamedWithTheCommandThatFreesIt() {
        PodState stuck = new PodState(2, false, true, false, false, false).withGraceEnds(T0.minusSeconds(300));
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).pod(stuck).observation();
        EtcdClusterStatus s = compute(3, obs, new Step.Wait(ConditionReason.RollingUpdate, "waiting for the pod of etcd-2 to stop",
                Duration.ofSeconds(1)));
        assertThat(condition(s, Conditions.PROGRESSING).getMessage()).contains("pod etcd-2 has been terminating for 300 s past its grace")
                .contains("kubectl delete pod etcd-2 --grace-period=0 --force");

        PodState stopping = stuck.withGraceEnds(T0.minusSeconds(10));
        EtcdClusterStatus fresh = compute(3, Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy()).pod(stopping).observation(),
                new Step.Wait(ConditionReason.RollingUpdate, "waiting for the pod of etcd-2 to stop", Duration.ofSeconds(1)));
        assertThat(condition(fresh, Conditions.PROGRESSING).getMessage()).as("still within a minute of its grace period")
                .doesNotContain("--force");
    }

    @Test
    void aFailedStepIsDegradedWithTheStepAndTheErrorAndTheClusterIsNotReady() {
        String error = "AddLearner of etcd-3 failed: etcd refused: member add failed: etcdserver: too many learner members in cluster";
        EtcdClusterStatus s = new EtcdClusterStatus();
        at(T0).apply(new StatusInput("etcd", 4, GENERATION, CONVERGED, new Step.Converged(), null, error, "sel"), s);
        assertCondition(s, Conditions.DEGRADED, "True", "StepFailed");
        assertThat(condition(s, Conditions.DEGRADED).getMessage()).isEqualTo(error);
        assertCondition(s, Conditions.READY, "False", "StepFailed");
        assertCondition(s, Conditions.AVAILABLE, "True", "QuorumHealthy");

        at(T0.plusSeconds(5)).apply(new StatusInput("etcd", 4, GENERATION, CONVERGED, new Step.Converged(), null, null, "sel"), s);
        assertCondition(s, Conditions.DEGRADED, "False", "AsExpected");
    }

    @Test
    void pausedSaysSoInProgressingAndLeavesTheRestAsItWas() {
        EtcdClusterStatus s = compute(3, CONVERGED, new Step.Converged());
        at(T0.plusSeconds(60)).paused(GENERATION + 1, s);
        assertCondition(s, Conditions.PROGRESSING, "False", "Paused");
        assertThat(condition(s, Conditions.PROGRESSING).getObservedGeneration()).isEqualTo(GENERATION + 1);
        assertThat(condition(s, Conditions.PROGRESSING).getMessage()).contains("etcd.storageos.com/paused");
        assertCondition(s, Conditions.READY, "True", "ClusterReady");
        assertThat(condition(s, Conditions.READY).getObservedGeneration()).isEqualTo(GENERATION);
        assertThat(s.getObservedGeneration()).isEqualTo(GENERATION);
    }

    @Test
    void scalingUpShowsALearnerCatchingUp() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2), learner(3)).observation();
        EtcdClusterStatus s = compute(5, obs, new Step.PromoteLearner(Cluster.idOf(3), 3));
        assertCondition(s, Conditions.PROGRESSING, "True", "LearnerCatchingUp");
        assertCondition(s, Conditions.READY, "False", "LearnerCatchingUp");
        assertCondition(s, Conditions.AVAILABLE, "True", "QuorumHealthy");
        assertCondition(s, Conditions.DEGRADED, "False", "AsExpected");
        assertThat(s.getMembersSummary()).as("the MEMBERS column: healthy voters of spec.replicas, the learner not counted").isEqualTo("3/5");
    }

    @Test
    void aLearnerWhosePodHasNotStartedShowsLearnerStartingAsDocumented() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2), learner(3).notStarted()).observation();
        EtcdClusterStatus s = compute(5, obs, new Step.Wait(ConditionReason.LearnerStarting, "waiting for learner 103 to start", Duration.ofSeconds(5)));
        assertCondition(s, Conditions.PROGRESSING, "True", "LearnerStarting");
    }

    @Test
    void bootstrappingIsProgressingAndNotYetAvailable() {
        ClusterObservation nothing = Cluster.empty().observation();
        Step bootstrap = new Step.Bootstrap(Journal.start(Journal.Operation.Bootstrap, Journal.Phase.Starting, 0, "", 0, T0), 1);
        EtcdClusterStatus s = compute(3, nothing, bootstrap);
        assertCondition(s, Conditions.AVAILABLE, "False", "Bootstrapping");
        assertCondition(s, Conditions.PROGRESSING, "True", "Bootstrapping");
        assertCondition(s, Conditions.READY, "False", "Bootstrapping");
        assertThat(s.getReadyReplicas()).isZero();
        assertThat(s.getMembersSummary()).isEqualTo("0/3");
    }

    @Test
    void lastTransitionTimeChangesOnlyWhenTheStatusChanges() {
        EtcdClusterStatus s = new EtcdClusterStatus();
        at(T0).apply(new StatusInput("etcd", 3, 1, CONVERGED, new Step.Converged(), null, null, "sel"), s);
        String readySince = condition(s, Conditions.READY).getLastTransitionTime();
        assertThat(readySince).isEqualTo(T0.toString());

        at(T0.plusSeconds(60)).apply(new StatusInput("etcd", 3, 2, CONVERGED, new Step.Converged(), null, null, "sel"), s);
        assertThat(condition(s, Conditions.READY).getLastTransitionTime()).isEqualTo(readySince);
        assertThat(condition(s, Conditions.READY).getObservedGeneration()).isEqualTo(2);

        ClusterObservation lost = Cluster.of(voter(0), voter(1).unhealthy(), voter(2).unhealthy()).observation();
        at(T0.plusSeconds(120)).apply(new StatusInput("etcd", 3, 2, lost, new Step.Blocked(ConditionReason.QuorumLost, "x"), null, null, "sel"), s);
        assertThat(condition(s, Conditions.READY).getLastTransitionTime()).isEqualTo(T0.plusSeconds(120).toString());
        assertThat(condition(s, Conditions.AVAILABLE).getLastTransitionTime()).isEqualTo(T0.plusSeconds(120).toString());
    }

    @Test
    void membersRolesLeaderReadyReplicasAndClientEndpointsOfHealthyVotersOnly() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy(), learner(3)).observation();
        EtcdClusterStatus s = compute(3, obs, new Step.Converged());
        assertThat(s.getMembers()).extracting(MemberStatus::getName, MemberStatus::getRole, MemberStatus::getLeader, MemberStatus::getHealthy)
                .containsExactly(
                        Tuple.tuple("etcd-0", "Voter", true, true),
                        Tuple.tuple("etcd-1", "Voter", false, true),
                        Tuple.tuple("etcd-2", "Voter", false, false),
                        Tuple.tuple("etcd-3", "Learner", false, true));
        assertThat(s.getMembers().get(0).getId()).isEqualTo(Long.toHexString(Cluster.idOf(0)));
        assertThat(s.getReplicas()).isEqualTo(3);
        assertThat(s.getReadyReplicas()).isEqualTo(2);
        assertThat(s.getLeader()).isEqualTo("etcd-0");
        assertThat(s.getClientEndpoints()).containsExactly(clientUrl(0), clientUrl(1));
        assertThat(s.getSelector()).isEqualTo("sel");
    }

    // ---------------------------------------------------------------- rollouts and blocked scale-downs

    private static PodState stale(int ordinal, boolean ready) {
        return new PodState(ordinal, ready, false, false, false, false);
    }

    @Test
    void aRolloutWaitingForARestartedMemberIsProgressingNeverConverged() {
        // etcd-2 was restarted onto the new template and is not healthy yet; etcd-0 and etcd-1 still run the old one.
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2).unhealthy())
                .pod(stale(0, true)).pod(stale(1, true)).pod(new PodState(2, false, false, false, true, false)).observation();
        EtcdClusterStatus s = compute(3, obs, new Step.Wait(ConditionReason.MemberUnhealthy, "voter etcd-2 is not healthy", Duration.ofMillis(500)));
        assertCondition(s, Conditions.PROGRESSING, "True", "RollingUpdate");
        assertThat(condition(s, Conditions.PROGRESSING).getMessage()).contains("etcd-2 is not healthy", "1 of 3 members on the new template");
        assertCondition(s, Conditions.READY, "False", "QuorumAtRisk");
    }

    @Test
    void aRolloutSaysWhichPodRestartsAndHowManyAreLeft() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1), voter(2)).pod(stale(0, true)).pod(stale(1, true)).observation();
        EtcdClusterStatus s = compute(3, obs, RestartOrder.next(obs).orElseThrow());
        assertCondition(s, Conditions.PROGRESSING, "True", "RollingUpdate");
        assertThat(condition(s, Conditions.PROGRESSING).getMessage()).contains("restarting the pod of etcd-1", "1 of 3 members on the new template");
        assertThat(s.getProgress()).singleElement().satisfies(p -> {
            assertThat(p.getOperation()).isEqualTo("Rollout");
            assertThat(p.getDone()).isEqualTo(1);
            assertThat(p.getTotal()).isEqualTo(3);
            assertThat(p.getUnit()).isEqualTo("Members");
        });
        assertCondition(s, Conditions.READY, "False", "RollingUpdate");

        ClusterObservation leaderLeft = Cluster.of(voter(0).leader(), voter(1), voter(2)).pod(stale(0, true)).observation();
        EtcdClusterStatus moving = compute(3, leaderLeft, RestartOrder.next(leaderLeft).orElseThrow());
        assertCondition(moving, Conditions.PROGRESSING, "True", "RollingUpdate");
        assertThat(condition(moving, Conditions.PROGRESSING).getMessage()).contains("moving leadership from etcd-0", "2 of 3 members on the new template");
        assertThat(moving.getProgress()).extracting(p -> p.getMessage()).containsExactly("2 of 3 members on the new template");
    }

    @Test
    void aScaleDownBlockedByAnUnhealthyMemberIsProgressingWithWhatBlocksIt() {
        ClusterObservation obs = Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2)).observation();
        Step step = new MembershipPlanner().next(Cluster.of(voter(0).leader(), voter(1).unhealthy(), voter(2)).desiring(1));
        EtcdClusterStatus s = compute(1, obs, step);
        assertCondition(s, Conditions.PROGRESSING, "True", "QuorumAtRisk");
        assertThat(condition(s, Conditions.PROGRESSING).getMessage()).contains("removing etcd-2", "below quorum");
    }
}

package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.MigrationPlannerTest.healthyExternals;
import static com.storageos.etcd.membership.MigrationPlannerTest.withAllOurs;
import static com.storageos.etcd.membership.StorageOSRestartWaitTest.SWITCH;
import static com.storageos.etcd.membership.StorageOSRestartWaitTest.nodes;
import static com.storageos.etcd.membership.StorageOSRestartWaitTest.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.status.Migrations;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * spec.storageos.nodeRestart Evict: the operator restarts the StorageOS node pods that predate the switch itself, one at a time,
 * each replacement Ready before the next eviction, and resumes from the recorded eviction after a restart of its own.
 */
class StorageOSRollingRestartTest {
    final MembershipPlanner planner = new MembershipPlanner();
    final Migration switched = new MigrationPlannerTest().proposed().switched(SWITCH);
    final StorageOSNodes.NodePod a = pod("storageos-daemonset-a", SWITCH.minusSeconds(3600));
    final StorageOSNodes.NodePod b = pod("storageos-daemonset-b", SWITCH.minusSeconds(3600));

    Step next(Migration recorded, StorageOSNodes nodes, boolean evict) {
        ClusterObservation obs = MigrationPlannerTest.observe(withAllOurs(healthyExternals()));
        MigrationInput input = new MigrationInput(Optional.of(recorded), Optional.empty(), true, true)
                .withStorageOS(Optional.of(SWITCH), Optional.of(nodes));
        return planner.next(new PlanInput(3, obs, Optional.empty(), true, Cluster::peerUrl, Cluster.LEARNER_DEADLINE, obs.memberPodCount(),
                Optional.empty(), Optional.of(evict ? input.evictingStorageOSNodes() : input)));
    }

    @Test
    void manualByDefaultEvictsNothing() {
        assertThat(next(switched, nodes(a, b), false)).isInstanceOfSatisfying(Step.Wait.class,
                w -> assertThat(w.reason()).isEqualTo(ConditionReason.MigrationAwaitingStorageOSRestart));
    }

    @Test
    void evictsTheFirstStalePodRecordedWithItsUidAndNode() {
        assertThat(next(switched, nodes(a, b), true)).isInstanceOfSatisfying(Step.RestartStorageOSNode.class, r -> {
            assertThat(r.namespace()).isEqualTo("storageos");
            assertThat(r.next().phase()).isEqualTo(Migration.Phase.AwaitingStorageOSRestart);
            assertThat(r.next().nodeRestart()).isEqualTo(new Migration.NodeRestart(a.name(), a.uid(), a.node(), MigrationPlannerTest.NOW));
            assertThat(r.reason()).contains("2 of 2");
        });
    }

    @Test
    void theNextWaitsUntilTheEvictedNodesReplacementIsReady() {
        Migration evicting = switched.restarting(new Migration.NodeRestart(a.name(), a.uid(), a.node(), SWITCH.plusSeconds(10)));
        StorageOSNodes.NodePod terminating = new StorageOSNodes.NodePod(a.name(), a.uid(), a.node(), a.startedAt(), true, true);
        StorageOSNodes.NodePod starting = new StorageOSNodes.NodePod(a.name(), "new-uid", a.node(), SWITCH.plusSeconds(12), false, false);
        StorageOSNodes.NodePod ready = new StorageOSNodes.NodePod(a.name(), "new-uid", a.node(), SWITCH.plusSeconds(12), true, false);
        // Terminating, gone with no replacement yet (all the others Ready: the pod list alone would allow the next), not Ready yet.
        for (StorageOSNodes nodes : List.of(nodes(terminating, b), nodes(b), nodes(starting, b))) {
            assertThat(next(evicting, nodes, true)).isInstanceOfSatisfying(Step.Wait.class, w -> {
                assertThat(w.reason()).isEqualTo(ConditionReason.MigrationRestartingStorageOSNodes);
                assertThat(w.message()).contains(a.node());
            });
        }
        assertThat(next(evicting, nodes(ready, b), true)).isInstanceOfSatisfying(Step.RestartStorageOSNode.class,
                r -> assertThat(r.next().nodeRestart().uid()).isEqualTo(b.uid()));
    }

    @Test
    void aRecordedEvictionThatDidNotHappenIsMadeAgainAndAnUnreadyPodHoldsTheNext() {
        Migration evicting = switched.restarting(new Migration.NodeRestart(a.name(), a.uid(), a.node(), SWITCH.plusSeconds(10)));
        assertThat(next(evicting, nodes(a, b), true)).isInstanceOfSatisfying(Step.RestartStorageOSNode.class,
                r -> assertThat(r.next()).isEqualTo(evicting));
        StorageOSNodes.NodePod unready = new StorageOSNodes.NodePod(b.name(), b.uid(), b.node(), b.startedAt(), false, false);
        assertThat(next(switched, nodes(a, unready), true)).isInstanceOfSatisfying(Step.Wait.class,
                w -> assertThat(w.message()).contains(b.name(), "not Ready"));
    }

    @Test
    void everyNodePodRestartedMovesOnAndDropsTheRecord() {
        Migration evicting = switched.restarting(new Migration.NodeRestart(b.name(), b.uid(), b.node(), SWITCH.plusSeconds(10)));
        StorageOSNodes.NodePod a2 = pod("storageos-daemonset-a", SWITCH.plusSeconds(5));
        StorageOSNodes.NodePod b2 = pod("storageos-daemonset-b", SWITCH.plusSeconds(15));
        assertThat(next(evicting, nodes(a2, b2), true)).isInstanceOfSatisfying(Step.MigrationProgress.class, p -> {
            assertThat(p.next().phase()).isEqualTo(Migration.Phase.RemovingExternalMembers);
            assertThat(p.next().nodeRestart()).isNull();
        });
    }

    @Test
    void theRecordedEvictionSurvivesTheStatus() {
        Migration evicting = switched.restarting(new Migration.NodeRestart(a.name(), a.uid(), a.node(), SWITCH.plusSeconds(10)));
        assertThat(Migrations.read(Migrations.write(evicting))).contains(evicting);
    }
}

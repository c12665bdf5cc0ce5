package com.storageos.etcd.membership;

import static com.storageos.etcd.membership.MigrationPlannerTest.NOW;
import static com.storageos.etcd.membership.MigrationPlannerTest.healthyExternals;
import static com.storageos.etcd.membership.MigrationPlannerTest.withAllOurs;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** After the switch, no external member goes while a StorageOS node pod still runs on the address it read at its start. */
class StorageOSRestartWaitTest {
    final MembershipPlanner planner = new MembershipPlanner();
    final MigrationPlannerTest migration = new MigrationPlannerTest();

    Migration proposed() {
        return migration.proposed();
    }

    Optional<Migration> at(Migration.Phase phase) {
        return migration.at(phase);
    }

    static final Instant SWITCH = NOW.minusSeconds(60);

    Step awaiting(StorageOSNodes nodes) {
        ClusterObservation obs = MigrationPlannerTest.observe(withAllOurs(healthyExternals()));
        MigrationInput input = new MigrationInput(Optional.of(proposed().switched(SWITCH)), Optional.empty(), true, true)
                .withStorageOS(Optional.of(SWITCH), Optional.ofNullable(nodes));
        return planner.next(new PlanInput(3, obs, Optional.empty(), true, Cluster::peerUrl, Cluster.LEARNER_DEADLINE, obs.memberPodCount(),
                Optional.empty(), Optional.of(input)));
    }

    /** A Ready pod on its own node, started at {@code at} (null: not started, so not Ready). */
    static StorageOSNodes.NodePod pod(String name, Instant at) {
        return new StorageOSNodes.NodePod(name, "uid-" + name + "-" + at, "node-" + name.substring(name.lastIndexOf('-') + 1), at,
                at != null, false);
    }

    static StorageOSNodes nodes(StorageOSNodes.NodePod... pods) {
        return new StorageOSNodes("storageos", StorageOSNodes.DEFAULT_LABELS, List.of(pods), "");
    }

    @Test
    void theSwitchRecordsTheSyncsWriteTimeAsTheMomentNodePodsMustHaveStartedAfter() {
        ClusterObservation obs = MigrationPlannerTest.observe(withAllOurs(healthyExternals()));
        MigrationInput input = new MigrationInput(at(Migration.Phase.SwitchingClients), Optional.empty(), true, true)
                .withStorageOS(Optional.of(SWITCH), Optional.empty());
        Step step = planner.next(new PlanInput(3, obs, Optional.empty(), true, Cluster::peerUrl, Cluster.LEARNER_DEADLINE,
                obs.memberPodCount(), Optional.empty(), Optional.of(input)));
        assertThat(step).isInstanceOfSatisfying(Step.MigrationProgress.class, p -> {
            assertThat(p.next().phase()).isEqualTo(Migration.Phase.AwaitingStorageOSRestart);
            assertThat(p.next().switchedAt()).isEqualTo(SWITCH);
            assertThat(p.reason()).isEqualTo(ConditionReason.MigrationAwaitingStorageOSRestart);
        });
    }

    @Test
    void noExternalMemberGoesWhileAStorageOSNodePodStartedBeforeTheSwitch() {
        StorageOSNodes.NodePod restarted = pod("storageos-daemonset-a", SWITCH.plusSeconds(5));
        StorageOSNodes.NodePod old = pod("storageos-daemonset-b", SWITCH.minusSeconds(3600));
        StorageOSNodes.NodePod sameSecond = pod("storageos-daemonset-c", SWITCH);
        StorageOSNodes.NodePod pending = pod("storageos-daemonset-d", null);
        for (StorageOSNodes.NodePod stale : List.of(old, sameSecond, pending)) {
            assertThat(awaiting(nodes(restarted, stale))).isInstanceOfSatisfying(Step.Wait.class, w -> {
                assertThat(w.reason()).isEqualTo(ConditionReason.MigrationAwaitingStorageOSRestart);
                assertThat(w.message()).contains("1 of 2", stale.name(), "kubectl -n storageos delete pod " + stale.name())
                        .doesNotContain(restarted.name());
            });
        }
        assertThat(awaiting(nodes(restarted, pod("storageos-daemonset-b", SWITCH.plusSeconds(30)))))
                .isInstanceOfSatisfying(Step.MigrationProgress.class, p -> {
                    assertThat(p.next().phase()).isEqualTo(Migration.Phase.RemovingExternalMembers);
                    assertThat(p.next().switchedAt()).isEqualTo(SWITCH);
                });
    }

    @Test
    void noStorageOSNodePodFoundWaitsAndSaysWhichSelectorFoundNothing() {
        assertThat(awaiting(nodes())).isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.message())
                .contains("no pod in namespace storageos matches app=storageos,app.kubernetes.io/component=control-plane",
                        "spec.storageos.nodePodLabels"));
        StorageOSNodes forbidden = new StorageOSNodes("storageos", StorageOSNodes.DEFAULT_LABELS, List.of(), "RBAC forbids listing pods there");
        assertThat(awaiting(forbidden)).isInstanceOfSatisfying(Step.Wait.class, w -> assertThat(w.message()).contains("RBAC forbids"));
        // No StorageOS synced (spec.storageos removed meanwhile): no node can depend on the external members.
        assertThat(awaiting(null)).isInstanceOfSatisfying(Step.MigrationProgress.class,
                p -> assertThat(p.next().phase()).isEqualTo(Migration.Phase.RemovingExternalMembers));
    }

}

package com.storageos.etcd.status;

import static com.storageos.etcd.membership.Cluster.idOf;
import static com.storageos.etcd.membership.Cluster.learner;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Cluster;
import com.storageos.etcd.membership.Journal;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.membership.RecoveryRequest;
import com.storageos.etcd.membership.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Progressing message names what is done and to which pod, for every kind of step: never a record's toString. */
class StepSentenceTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final StepSentence sentence = new StepSentence(Cluster.of(voter(0).leader(), voter(1), learner(2)).observation(), "etcd");

    private static Journal journal(Operation operation, Phase phase, int ordinal) {
        return Journal.start(operation, phase, ordinal, "http://etcd-" + ordinal + ":2380", idOf(ordinal), T);
    }

    private static final List<Step> EVERY_KIND = List.of(
            new Step.Bootstrap(journal(Operation.Bootstrap, Phase.Starting, 0), 1),
            new Step.AddLearner(journal(Operation.ScaleUp, Phase.AddRequested, 3)),
            new Step.StartMember(3, 4),
            new Step.RestorePods(3, "raising the StatefulSet back to 3 pods"),
            new Step.RestartPod(1, "its pod template changed"),
            new Step.PromoteLearner(idOf(2), 2),
            new Step.MoveLeader(idOf(0), idOf(1)),
            new Step.UpdatePeerUrl(idOf(1), 1, "http://10.1.2.3:2380", "its pod came back at a new IP"),
            new Step.RemoveMember(journal(Operation.ScaleDown, Phase.RemoveRequested, 2)),
            new Step.RetireOrdinal(2, 2),
            new Step.ReleaseVolume(2),
            new Step.RecordJournal(Optional.empty(), "MemberPromoted"),
            new Step.ClusterFormed(),
            new Step.StartRecovery(journal(Operation.RecoverFromSurvivor, Phase.ForceNewCluster, 0), RecoveryRequest.of("1"), "etcd-0",
                    420, 17, List.of("etcd-1", "etcd-2")),
            new Step.StartRestore(journal(Operation.RestoreFromBackup, Phase.SeedFromBackup, 0),
                    RecoveryRequest.fromBackup("latest", Optional.of("s3://backups/etcd")), List.of("etcd-1", "etcd-2")),
            new Step.RefuseRecovery(RecoveryRequest.of("1"), "quorum holds"),
            new Step.RecoveryProgress(Optional.empty(), ConditionReason.RecoveringFromSurvivor, "RecoveryCompleted", "etcd-0 runs alone"),
            new Step.AbortRecovery("quorum came back"),
            new Step.MigrationProgress(new Migration(Migration.Phase.Joining,
                    "p1", List.of("add etcd-0"), Set.of(1L)), ConditionReason.MigrationStarted, "the migration began"),
            new Step.RestartStorageOSNode(new Migration(
                    Migration.Phase.AwaitingStorageOSRestart, "p1", List.of(), Set.of(1L))
                    .restarting(new Migration.NodeRestart("storageos-daemonset-abcde", "u1", "node-1", T)),
                    "storageos",
                    "storageos-daemonset-abcde started before the switch"),
            new Step.Wait(ConditionReason.MemberUnhealthy, "waiting for etcd-1 to be healthy", Duration.ofSeconds(1)),
            new Step.Blocked(ConditionReason.QuorumLost, "1 of 3 voters healthy"),
            new Step.Converged());

    @Test
    void everyKindOfStepIsCovered() {
        Set<Class<?>> sampled = EVERY_KIND.stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(Arrays.asList(Step.class.getPermittedSubclasses()));
    }

    @Test
    void everyStepReadsAsASentenceForPeople() {
        for (Step step : EVERY_KIND) {
            assertThat(sentence.of(step)).as(step.toString()).isNotBlank().doesNotContain("[", "=", "Step", "Optional");
        }
    }

    @Test
    void stepsNameThePodAndWhy() {
        assertThat(sentence.of(EVERY_KIND.get(1))).isEqualTo("adding etcd-3 as a learner (scaling up)");
        assertThat(sentence.of(new Step.RemoveMember(journal(Operation.ReplaceMember, Phase.RemoveRequested, 1))))
                .isEqualTo("removing etcd-1 from the membership (replacing a member that lost its data)");
        assertThat(sentence.of(new Step.MoveLeader(idOf(0), idOf(1)))).startsWith("moving leadership from ").contains(" to ");
    }
}

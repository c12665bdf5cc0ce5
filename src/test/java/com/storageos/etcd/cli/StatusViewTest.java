package com.storageos.etcd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.BackupStatus;
import com.storageos.etcd.api.v1alpha1.status.BootstrapStatus;
import com.storageos.etcd.api.v1alpha1.status.DefragStatus;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.api.v1alpha1.status.ProgressStatus;
import com.storageos.etcd.api.v1alpha1.status.RestoreCheckStatus;
import com.storageos.etcd.naming.RequestAnnotations;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusViewTest {
    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void membersRolesLeaderConditionsAndLastBackup() {
        EtcdCluster c = cluster();
        List<String> lines = StatusView.lines(c, NOW);
        assertThat(lines).contains(
                "Cluster:      etcd/storageos-etcd",
                "Ready:        False (ScalingUp)",
                "Members:      3/5 healthy voters of spec.replicas",
                "Leader:       storageos-etcd-0",
                "Last backup:  2026-12-07T09:19:00Z (41m ago), 20.0 MiB, revision 1234, restore check passed",
                "MEMBER             ROLE      LEADER   HEALTHY   VERSION   DB SIZE    IN USE     ID",
                "storageos-etcd-0   Voter     yes      yes       3.5.30    20.0 MiB   10.0 MiB   8e9e05c52164694d",
                "(not started)      Learner            NO        -         -          -          -",
                "CONDITION     STATUS   REASON      MESSAGE",
                "Progressing   True     ScalingUp   learner storageos-etcd-3 catching up: 1200 of 5000 entries behind");
    }

    @Test
    void theProgressOfLongOperationsAndTheLastDefragmentationsBytes() {
        EtcdCluster c = cluster();
        c.getStatus().setProgress(List.of(
                new ProgressStatus("LearnerCatchUp", 4500L, 5000L, "RaftIndex", "learner storageos-etcd-3 at raft index 4500 of 5000 (90%)"),
                new ProgressStatus("Rollout", 1L, 3L, "Members", "1 of 3 members on the new template")));
        DefragStatus defrag = new DefragStatus();
        defrag.setTime("2026-12-07T03:00:00Z");
        defrag.setOutcome("Succeeded");
        defrag.getMembers().add(memberDefrag("storageos-etcd-1", 40L << 20, 12L << 20, "Defragmented"));
        defrag.getMembers().add(memberDefrag("storageos-etcd-0", 20L << 20, 20L << 20, "NotNeeded"));
        c.getStatus().setLastDefrag(defrag);
        assertThat(StatusView.lines(c, NOW)).containsSubsequence(
                "Last backup:  2026-12-07T09:19:00Z (41m ago), 20.0 MiB, revision 1234, restore check passed",
                "Last defrag:  2026-12-07T03:00:00Z (7h ago), Succeeded: storageos-etcd-1 40.0 MiB -> 12.0 MiB, storageos-etcd-0 NotNeeded",
                "Progress:     LearnerCatchUp: learner storageos-etcd-3 at raft index 4500 of 5000 (90%)",
                "Progress:     Rollout: 1 of 3 members on the new template");
    }

    private static DefragStatus.MemberDefrag memberDefrag(String name, long before, long after, String outcome) {
        DefragStatus.MemberDefrag m = new DefragStatus.MemberDefrag();
        m.setName(name);
        m.setBeforeBytes(before);
        m.setAfterBytes(after);
        m.setOutcome(outcome);
        return m;
    }

    @Test
    void aPausedClusterSaysHowToResumeAndAFailedRestoreCheckStandsOut() {
        EtcdCluster c = cluster();
        c.getMetadata().setAnnotations(Map.of(RequestAnnotations.PAUSED, "true"));
        c.getStatus().getLastBackup().getRestoreCheck().setSucceeded(false);
        List<String> lines = StatusView.lines(c, NOW);
        assertThat(lines.get(0)).isEqualTo("Cluster:      etcd/storageos-etcd   PAUSED (kubectl etcd resume)");
        assertThat(lines).anyMatch(l -> l.startsWith("Last backup:") && l.endsWith("RESTORE CHECK FAILED"));
    }

    @Test
    void aClusterRestoredBySpecBootstrapRestoreSaysWhatMemberZeroRestoredAndWhetherTheReplayStoppedShort() {
        EtcdCluster c = cluster();
        BootstrapStatus b = new BootstrapStatus();
        b.setRestoredRevision(846L);
        b.setRestoredComplete(false);
        b.setFormedAt("2026-12-07T09:00:00Z");
        b.setMessage("restored kv-20261207T080000Z.snapshot.db (revision 20) and replayed its chain to revision 846; revisions"
                + " 847..2815 were not recovered: chunk x fails its SHA-256 checksum");
        c.getStatus().setBootstrap(b);
        assertThat(StatusView.lines(c, NOW)).containsSubsequence("Last backup:  2026-12-07T09:19:00Z (41m ago), 20.0 MiB, revision 1234,"
                + " restore check passed", "Bootstrap:    restored to revision 846, INCOMPLETE, formed 2026-12-07T09:00:00Z (60m ago):"
                + " restored kv-20261207T080000Z.snapshot.db (revision 20) and replayed its chain to revision 846; revisions 847..2815 were"
                + " not recovered: chunk x fails its SHA-256 checksum", "MEMBER             ROLE      LEADER   HEALTHY   VERSION   DB SIZE"
                + "    IN USE     ID");

        BootstrapStatus asItIs = new BootstrapStatus();
        asItIs.setFormedAt("2026-12-07T09:59:30Z");
        asItIs.setMessage("restored spec.bootstrap.restore; its bootstrap's report was gone when the cluster formed (the pod restarted)");
        c.getStatus().setBootstrap(asItIs);
        assertThat(StatusView.lines(c, NOW)).contains("Bootstrap:    restored to revision -, formed 2026-12-07T09:59:30Z (30s ago): restored"
                + " spec.bootstrap.restore; its bootstrap's report was gone when the cluster formed (the pod restarted)");
        assertThat(StatusView.lines(cluster(), NOW)).as("a cluster not restored").noneMatch(l -> l.startsWith("Bootstrap:"));
    }

    @Test
    void aClusterWithoutStatusYet() {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("kv").withNamespace("ns").build());
        c.setStatus(null);
        assertThat(StatusView.lines(c, NOW)).contains("Ready:        Unknown (no status yet)", "Last backup:  none", "Leader:       none")
                .noneMatch(l -> l.startsWith("Progress:") || l.startsWith("Last defrag:"));
    }

    static EtcdCluster cluster() {
        EtcdCluster c = new EtcdCluster();
        c.setMetadata(new ObjectMetaBuilder().withName("storageos-etcd").withNamespace("etcd").build());
        EtcdClusterStatus s = new EtcdClusterStatus();
        s.setMembersSummary("3/5");
        s.setLeader("storageos-etcd-0");
        s.setCurrentVersion("3.5.30");
        s.setMembers(List.of(member("storageos-etcd-0", "Voter", true), member("", "Learner", false)));
        s.getMembers().get(1).setVersion(null);
        s.getMembers().get(1).setDbSize(null);
        s.getMembers().get(1).setDbSizeInUse(null);
        s.getMembers().get(1).setId(null);
        s.setConditions(new ArrayList<>(List.of(
                new ConditionBuilder().withType("Ready").withStatus("False").withReason("ScalingUp").withMessage("").build(),
                new ConditionBuilder().withType("Progressing").withStatus("True").withReason("ScalingUp")
                        .withMessage("learner storageos-etcd-3 catching up: 1200 of 5000 entries behind").build())));
        BackupStatus b = new BackupStatus();
        b.setTime("2026-12-07T09:19:00Z");
        b.setSizeBytes(20L * 1024 * 1024);
        b.setRevision(1234L);
        b.setLocation("pvc://etcd-backups/storageos-etcd/storageos-etcd-20261207T091900Z.db");
        b.setSha256("ab12");
        b.setMember("storageos-etcd-1");
        b.setDurationSeconds(1.25);
        RestoreCheckStatus check = new RestoreCheckStatus();
        check.setSucceeded(true);
        check.setBackup("storageos-etcd-20261207T091900Z.db");
        check.setTime("2026-12-07T09:19:05Z");
        b.setRestoreCheck(check);
        s.setLastBackup(b);
        c.setStatus(s);
        return c;
    }

    private static MemberStatus member(String name, String role, boolean leader) {
        MemberStatus m = new MemberStatus();
        m.setName(name);
        m.setRole(role);
        m.setLeader(leader);
        m.setHealthy(leader);
        m.setVersion("3.5.30");
        m.setDbSize(20L * 1024 * 1024);
        m.setDbSizeInUse(10L * 1024 * 1024);
        m.setId("8e9e05c52164694d");
        return m;
    }
}

package com.storageos.etcd.tool.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.tool.bootstrap.BootstrapDecision.ForceNewCluster;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.Join;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.LeaveForRecovery;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.NewCluster;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.Refuse;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.Restart;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.RestartRestored;
import com.storageos.etcd.tool.bootstrap.BootstrapDecision.SeedFromBackup;
import com.storageos.etcd.toolcontract.BootstrapReport;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BootstrapPlannerTest {
    private static final String INITIAL = "etcd-0=http://etcd-0:2380,etcd-1=http://etcd-1:2380";
    private final BootstrapPlanner planner = new BootstrapPlanner();

    private static MemberView.JournalEntry bootstrapJournal(int lastOrdinal) {
        return new MemberView.JournalEntry("Bootstrap", "Starting", lastOrdinal, null, null, Set.of());
    }

    private static MemberView.JournalEntry learnerAdded(int ordinal, String idHex) {
        return new MemberView.JournalEntry("ScaleUp", "MemberAdded", ordinal, idHex, INITIAL, Set.of());
    }

    private static MemberView view(int ordinal, boolean hasData, String marker, boolean formed, Set<String> started,
                                   MemberView.JournalEntry journal) {
        return new MemberView("etcd-" + ordinal, ordinal, hasData, Optional.ofNullable(marker), formed, started, Optional.ofNullable(journal), false);
    }

    private static MemberView.JournalEntry recovery(String phase, int survivor) {
        return new MemberView.JournalEntry("RecoverFromSurvivor", phase, survivor, "102", null, Set.of());
    }

    private static final Set<String> ALL = Set.of("etcd-0", "etcd-1", "etcd-2");

    @Test
    void dataWrittenByAnEarlierMemberOfThisNameIsRefusedAsLostSoThatTheMemberIsReplaced() {
        MemberView rolledBack = new MemberView("etcd-2", 2, true, Optional.of("a1"), true, ALL, Optional.empty(), false,
                Optional.empty(), Optional.of("b2"));
        assertThat(planner.decide(rolledBack)).isInstanceOfSatisfying(Refuse.class, r -> assertThat(r.terminationMessage())
                .startsWith(BootstrapReport.DATA_LOST).contains("member a1", "member b2 now"));
        MemberView own = new MemberView("etcd-2", 2, true, Optional.of("b2"), true, ALL, Optional.empty(), false,
                Optional.empty(), Optional.of("b2"));
        assertThat(planner.decide(own)).isInstanceOf(Restart.class);
        MemberView formedIt = new MemberView("etcd-0", 0, true, Optional.of(BootstrapPlanner.BOOTSTRAP_MARKER), true, ALL,
                Optional.empty(), false, Optional.empty(), Optional.of("b0"));
        assertThat(planner.decide(formedIt)).as("member 0's marker names no ID to compare").isInstanceOf(Restart.class);
    }

    @Test
    void dataOfAnEarlierClusterIncarnationIsRefusedAsLostWhateverItsMarkerSays() {
        Optional<MemberView.ClusterIds> earlier = Optional.of(new MemberView.ClusterIds(0xa1, 0xb2));
        for (String marker : new String[] {BootstrapPlanner.BOOTSTRAP_MARKER, "b0", "restored-for latest#1"}) {
            MemberView rolledBack = new MemberView("etcd-0", 0, true, Optional.of(marker), true, ALL, Optional.empty(), false,
                    Optional.empty(), Optional.of("b0"), earlier);
            assertThat(planner.decide(rolledBack)).as("marker %s", marker).isInstanceOfSatisfying(Refuse.class, r -> assertThat(
                    r.terminationMessage()).startsWith(BootstrapReport.DATA_LOST).contains("etcd-0", "etcd cluster a1", "this cluster is b2"));
        }
        MemberView current = new MemberView("etcd-0", 0, true, Optional.of("b0"), true, ALL, Optional.empty(), false,
                Optional.empty(), Optional.of("b0"), Optional.of(new MemberView.ClusterIds(0xb2, 0xb2)));
        assertThat(planner.decide(current)).isInstanceOf(Restart.class);
        MemberView replaced = new MemberView("etcd-0", 0, true, Optional.of("b0"), true, ALL, Optional.of(learnerAdded(0, "c0")), false,
                Optional.empty(), Optional.of("b0"), earlier);
        assertThat(planner.decide(replaced)).as("the learner that replaces it moves the data aside")
                .isEqualTo(new Join("c0", INITIAL, true));
        MemberView survivor = new MemberView("etcd-0", 0, true, Optional.of("b0"), true, ALL, Optional.of(recovery("ForceNewCluster", 0)),
                false, Optional.empty(), Optional.of("b0"), earlier);
        assertThat(planner.decide(survivor)).as("a recovery in flight decides by its journal").isInstanceOf(ForceNewCluster.class);
    }

    @Test
    void theSurvivorRestartsOnItsDataWithForceNewClusterThenWithout() {
        assertThat(planner.decide(view(2, true, "102", true, ALL, recovery("ForceNewCluster", 2)))).isInstanceOf(ForceNewCluster.class);
        assertThat(planner.decide(view(2, true, "102", true, ALL, recovery("ClearForceFlag", 2)))).isInstanceOf(Restart.class);
    }

    @Test
    void everyOtherMemberLeavesAndHasItsDataMovedAsideWhetherOrNotItHasAny() {
        for (boolean hasData : new boolean[] {true, false}) {
            for (String phase : new String[] {"ForceNewCluster", "ClearForceFlag"}) {
                assertThat(planner.decide(view(0, hasData, "100", true, ALL, recovery(phase, 2))))
                        .isInstanceOfSatisfying(LeaveForRecovery.class, l -> assertThat(l.terminationMessage())
                                .startsWith(BootstrapReport.MOVED_ASIDE).contains("moved aside"));
            }
        }
        assertThat(BootstrapReport.isDataLoss(BootstrapReport.MOVED_ASIDE + " x"))
                .as("the operator restarts such a pod once its learner is added").isTrue();
    }

    @Test
    void aSurvivorWhoseDataWentMissingIsNotForcedOnAnEmptyDir() {
        assertThat(planner.decide(view(2, false, null, true, ALL, recovery("ForceNewCluster", 2))))
                .isInstanceOfSatisfying(Refuse.class, r -> assertThat(r.terminationMessage()).startsWith(BootstrapReport.DATA_LOST));
    }

    @Test
    void aMemberMovedAsideByARecoveryKeepsSayingSoUntilItIsAddedBack() {
        MemberView aside = new MemberView("etcd-0", 0, false, Optional.empty(), true, Set.of("etcd-2"), Optional.empty(), true);
        assertThat(planner.decide(aside)).isInstanceOfSatisfying(Refuse.class,
                r -> assertThat(r.terminationMessage()).startsWith(BootstrapReport.MOVED_ASIDE));
        MemberView joining = new MemberView("etcd-0", 0, false, Optional.empty(), true, Set.of("etcd-2"),
                Optional.of(learnerAdded(0, "1a")), true);
        assertThat(planner.decide(joining)).isInstanceOf(Join.class);
    }

    private static MemberView seeding(int ordinal, boolean hasData, String marker, boolean formed, MemberView.JournalEntry journal,
                                      String seedMarker) {
        return new MemberView("etcd-" + ordinal, ordinal, hasData, Optional.ofNullable(marker), formed, Set.of(),
                Optional.ofNullable(journal), false, Optional.ofNullable(seedMarker), Optional.empty());
    }

    private static final String SEED = "restored-into uid-of-this-cluster";

    /** The bug of issue 13: member 0 restarted on a stale volume of an earlier cluster and the requested restore was skipped. */
    @Test
    void aRequestedRestoreIsNeverSkippedForStaleDataOnTheVolume() {
        assertThat(planner.decide(seeding(0, true, BootstrapPlanner.BOOTSTRAP_MARKER, false, bootstrapJournal(0), SEED)))
                .isEqualTo(new SeedFromBackup(SEED, false));
        assertThat(planner.decide(seeding(0, true, "restored-into uid-of-an-earlier-cluster", false, bootstrapJournal(0), SEED)))
                .isEqualTo(new SeedFromBackup(SEED, false));
        assertThat(planner.decide(seeding(0, false, null, false, bootstrapJournal(0), SEED))).isEqualTo(new SeedFromBackup(SEED, false));
        assertThat(planner.decide(seeding(0, true, SEED, false, bootstrapJournal(0), SEED)))
                .as("restored already, before a crash: kept").isInstanceOf(Restart.class);
    }

    @Test
    void theOtherRetainedVolumesOfARestoredNewClusterAreMovedAsideAndJoinAsLearners() {
        assertThat(planner.decide(seeding(2, true, "102", false, bootstrapJournal(2), SEED)))
                .isInstanceOfSatisfying(LeaveForRecovery.class, l -> assertThat(l.terminationMessage()).startsWith(BootstrapReport.MOVED_ASIDE));
    }

    private static MemberView.JournalEntry restoring() {
        return new MemberView.JournalEntry("RestoreFromBackup", "SeedFromBackup", 0, "0", null, Set.of());
    }

    @Test
    void aRestoreInPlaceSeedsMemberZeroOncePerRequestAndMovesTheOthersAside() {
        String marker = "restored-for latest#1";
        assertThat(planner.decide(seeding(0, true, "100", true, restoring(), marker))).isEqualTo(new SeedFromBackup(marker, true));
        assertThat(planner.decide(seeding(0, false, null, true, restoring(), marker))).isEqualTo(new SeedFromBackup(marker, true));
        assertThat(planner.decide(seeding(0, true, marker, true, restoring(), marker))).isInstanceOf(RestartRestored.class);
        assertThat(planner.decide(seeding(0, true, "restored-for latest#0", true, restoring(), marker)))
                .as("restored for an earlier request: restored again").isEqualTo(new SeedFromBackup(marker, true));
        for (boolean hasData : new boolean[] {true, false}) {
            assertThat(planner.decide(seeding(1, hasData, "101", true, restoring(), marker)))
                    .isInstanceOfSatisfying(LeaveForRecovery.class, l -> assertThat(l.terminationMessage()).startsWith(BootstrapReport.MOVED_ASIDE));
        }
        assertThat(planner.decide(seeding(0, false, null, true, restoring(), null)))
                .isInstanceOfSatisfying(Refuse.class, r -> assertThat(r.terminationMessage()).startsWith(BootstrapReport.NO_BACKUP_STORE));
    }

    @Test
    void ordinalZeroFormsANewClusterUnderABootstrapJournal() {
        assertThat(planner.decide(view(0, false, null, false, Set.of(), bootstrapJournal(0)))).isInstanceOf(NewCluster.class);
    }

    @Test
    void anEmptyMember0NeverFormsANewClusterOverRetainedVolumes() {
        var retained = new MemberView.JournalEntry("Bootstrap", "Starting", 2, null, null, Set.of(1, 2));
        assertThat(planner.decide(view(0, false, null, false, Set.of(), retained))).isInstanceOfSatisfying(Refuse.class, r -> {
            assertThat(r.terminationMessage()).startsWith(BootstrapReport.RETAINED_MEMBERS).contains("[1, 2]");
            assertThat(BootstrapReport.isDataLoss(r.terminationMessage()))
                    .as("once the old members answer, the operator replaces member 0 like a member that lost its data").isTrue();
        });
        assertThat(planner.decide(view(1, true, "a1", false, Set.of(), retained))).as("a retained member restarts on its data")
                .isInstanceOf(Restart.class);
        assertThat(planner.decide(view(0, true, "bootstrap", false, Set.of(), retained))).as("member 0 on its own data restarts")
                .isInstanceOf(Restart.class);
    }

    @Test
    void onlyOrdinalZeroFormsANewCluster() {
        assertThat(planner.decide(view(1, false, null, false, Set.of(), bootstrapJournal(2)))).isInstanceOf(Refuse.class);
    }

    @Test
    void noNewClusterWithoutABootstrapJournal() {
        assertThat(planner.decide(view(0, false, null, false, Set.of(), null))).isInstanceOf(Refuse.class);
    }

    @Test
    void neverANewClusterOnceTheClusterFormed() {
        BootstrapDecision d = planner.decide(view(0, false, null, true, Set.of(), bootstrapJournal(0)));
        assertThat(d).isNotInstanceOf(NewCluster.class).isInstanceOf(Refuse.class);
    }

    @Test
    void aLearnerJoinsWithTheJournalsInitialCluster() {
        assertThat(planner.decide(view(1, false, null, true, Set.of("etcd-0"), learnerAdded(1, "a1"))))
                .isEqualTo(new Join("a1", INITIAL, false));
    }

    @Test
    void aJournalForAnotherOrdinalIsNoJoin() {
        assertThat(planner.decide(view(2, false, null, true, Set.of("etcd-0"), learnerAdded(1, "a1")))).isInstanceOf(Refuse.class);
    }

    @Test
    void aMemberWithDataRestarts() {
        assertThat(planner.decide(view(1, true, "a1", true, Set.of("etcd-0", "etcd-1"), null))).isInstanceOf(Restart.class);
        assertThat(planner.decide(view(1, true, "a1", true, Set.of("etcd-0", "etcd-1"), learnerAdded(1, "a1"))))
                .as("restarted after joining: its own data").isInstanceOf(Restart.class);
    }

    @Test
    void aStartedMemberWithoutDataRefusesWithDataLost() {
        BootstrapDecision d = planner.decide(view(1, false, null, true, Set.of("etcd-0", "etcd-1"), null));
        assertThat(d).isInstanceOfSatisfying(Refuse.class, r -> assertThat(r.terminationMessage()).startsWith("DataLost:").contains("etcd-1"));
    }

    @Test
    void dataOfAnEarlierIncarnationIsMovedAsideToJoin() {
        assertThat(planner.decide(view(1, true, "old1", true, Set.of("etcd-0"), learnerAdded(1, "a2"))))
                .isEqualTo(new Join("a2", INITIAL, true));
    }

    @Test
    void dataWithoutAMarkerIsNeverOverwrittenToJoin() {
        BootstrapDecision d = planner.decide(view(1, true, null, true, Set.of("etcd-0"), learnerAdded(1, "a2")));
        assertThat(d).isInstanceOfSatisfying(Refuse.class, r -> assertThat(r.terminationMessage()).startsWith("UnknownData:"));
    }

    @Test
    void aPodThatIsNotAMemberYetWaitsForTheOperator() {
        BootstrapDecision d = planner.decide(view(3, false, null, true, Set.of("etcd-0"), null));
        assertThat(d).isInstanceOfSatisfying(Refuse.class, r -> assertThat(r.terminationMessage()).startsWith("NotAMember:"));
    }
}

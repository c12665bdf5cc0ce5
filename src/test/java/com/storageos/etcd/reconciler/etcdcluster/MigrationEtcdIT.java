package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.etcdclient.MemberAddResult;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.status.Migrations;
import com.storageos.etcd.testing.EtcdProcess;
import com.storageos.etcd.testing.EtcdTestCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Migrations from a plain external cluster: one that succeeds, one that fails and rolls back, one refused (see MigrationFixture). */
class MigrationEtcdIT extends MigrationFixture {
    @Test
    void migratesAThreeMemberExternalClusterWithARestartAtEveryPhaseAndLosesNoWrite() throws Exception {
        external = EtcdTestCluster.start(3, FAST);
        List<String> externalUrls = external.clientUrls();
        joinSpec(externalUrls, null);
        List<String> before = ContinuousWriter.writeKeys(externalUrls, 200);
        EtcdAdmin admin = admin();
        Set<Long> externalIds = admin.listMembers().stream().map(EtcdMember::id).collect(Collectors.toSet());
        long externalLeader = observe(admin).leader().orElseThrow().id();
        long clusterId = admin.clusterId();
        journal.crashOnceAfterEveryNewState();

        // Without approval the plan is shown and nothing else happens.
        run(Optional.empty(), s -> s instanceof Step.Wait w && w.reason() == ConditionReason.MigrationAwaitingApproval, Duration.ofSeconds(20));
        Migration plan = Migrations.read(journal.status().getMigration()).orElseThrow();
        assertThat(plan.phase()).isEqualTo(Migration.Phase.Proposed);
        assertThat(admin.listMembers()).extracting(EtcdMember::id).containsExactlyInAnyOrderElementsOf(externalIds);
        assertThat(statefulSetReplicas).as("no pod before approval").isZero();

        List<String> all = new ArrayList<>(externalUrls);
        all.addAll(urls.clientUrls(3));
        long started;
        long took;
        try (ContinuousWriter writer = new ContinuousWriter(all)) {
            Thread.sleep(300);
            started = System.nanoTime();
            run(Optional.of(plan.planId()), s -> Migrations.read(journal.status().getMigration())
                    .filter(m -> m.phase() == Migration.Phase.Completed).isPresent() && s instanceof Step.Converged, Duration.ofSeconds(120));
            took = (System.nanoTime() - started) / 1_000_000;
            Thread.sleep(300);
            writer.close();

            List<EtcdMember> members = admin().listMembers();
            assertThat(members).hasSize(3).allSatisfy(m -> assertThat(m.learner()).isFalse());
            assertThat(members).extracting(m -> m.peerUrls().get(0)).containsExactlyInAnyOrder(urls.peerUrl(0), urls.peerUrl(1), urls.peerUrl(2));
            assertThat(members).extracting(EtcdMember::id).doesNotContainAnyElementsOf(externalIds).doesNotContain(externalLeader);
            assertThat(admin().clusterId()).as("the same cluster, taken over").isEqualTo(clusterId);
            assertThat(journal.status().getClusterId()).isEqualTo(Long.toHexString(clusterId));
            assertThat(steps).contains("AddLearner", "PromoteLearner", "MoveLeader", "RemoveMember");
            assertThat(worstQuorumMargin).as("quorum never lost").isGreaterThanOrEqualTo(0);
            assertEveryKeyReadable(before);
            assertEveryKeyReadable(writer.acknowledged());
            assertThat(journal.crashedAfter).as("a restart after every phase").contains(
                    "ScaleUp/AddRequested/0/null migration Joining", "ScaleUp/MemberAdded/2/" + Long.toHexString(member(2).id()) + " migration Joining",
                    "no journal migration SwitchingClients", "no journal migration AwaitingStorageOSRestart", "no journal migration RemovingExternalMembers", "no journal migration Completed")
                    .anySatisfy(s -> assertThat(s).startsWith("RemoveExternal/RemoveRequested/-1/"));
            System.out.printf("migration IT: 3 external -> 3 operator members in %d ms (%d restarts: %s)%n", took, journal.crashes,
                    journal.crashedAfter);
            System.out.printf("migration IT: %d acknowledged writes, longest write gap %d ms, worst quorum margin %d%n",
                    writer.acknowledged().size(), writer.longestOutageMillis(), worstQuorumMargin);
        }
        System.out.printf("migration IT: hand floor (the same etcd calls scripted: 3x add learner, start, promote; move leader;"
                + " 3x remove) %d ms%n", handFloorMillis());
    }

    @Test
    void anExternalMemberThatCannotReachANewMemberFailsTheMigrationWhichIsRolledBackWithARestartAtEveryPhaseAndRetried() throws Exception {
        external = EtcdTestCluster.start(3, FAST);
        List<String> externalUrls = external.clientUrls();
        joinSpec(externalUrls, null);
        EtcdAdmin admin = admin();
        List<EtcdMember> membersBefore = admin.listMembers();
        run(Optional.empty(), s -> s instanceof Step.Wait w && w.reason() == ConditionReason.MigrationAwaitingApproval, Duration.ofSeconds(20));
        Migration plan = Migrations.read(journal.status().getMigration()).orElseThrow();
        runner.listenForPeersElsewhere(1);
        journal.crashOnceAfterEveryNewState();
        List<String> all = new ArrayList<>(externalUrls);
        all.addAll(urls.clientUrls(3));
        try (ContinuousWriter writer = new ContinuousWriter(all)) {
            Instant approved = Instant.now();
            run(Optional.of(plan.planId()), s -> s instanceof Step.Blocked b && b.reason() == ConditionReason.MigrationPeerUnreachable,
                    Duration.ofSeconds(150));
            writer.close();
            Step.Blocked failed = (Step.Blocked) lastStep;
            assertThat(failed.message()).contains("never reached new member " + urls.peerUrl(1), "external member ", "rolled back",
                    "as it was before the approval", "To retry", Migration.APPROVAL_ANNOTATION + "=");
            assertThat(journal.status().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Degraded");
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("MigrationPeerUnreachable");
            });
            assertThat(Migrations.read(journal.status().getMigration()).orElseThrow().phase()).isEqualTo(Migration.Phase.Failed);
            assertThat(admin().listMembers()).as("the external cluster as it was").containsExactlyInAnyOrderElementsOf(membersBefore);
            assertThat(journal.status().getPendingChange()).isNull();
            assertThat(statefulSetReplicas).as("this cluster's pods stopped").isZero();
            assertThat(volumes.resolve(names.member(0))).as("its volumes kept").isDirectory();
            assertThat(steps).as("member 0 joined and voted before member 1 failed").contains("PromoteLearner", "RemoveMember");
            assertThat(journal.crashedAfter).as("a restart after every rollback phase").contains("no journal migration RollingBack",
                    "no journal migration Failed").anySatisfy(x -> assertThat(x).startsWith("RollBackMigration/RemoveRequested/1/"))
                    .anySatisfy(x -> assertThat(x).startsWith("RollBackMigration/RemoveRequested/0/"));
            assertThat(worstQuorumMargin).as("quorum never lost").isGreaterThanOrEqualTo(0);
            assertEveryKeyReadable(writer.acknowledged(), externalUrls);
            System.out.printf("migration IT: peer unreachable: approval to failure %d ms, failure to external cluster whole %d ms, to Failed"
                    + " %d ms; %d acknowledged writes, longest write gap %d ms (restarts: %s)%n", Duration.between(approved, failedAt).toMillis(),
                    Duration.between(failedAt, wholeAgainAt).toMillis(),
                    Duration.between(failedAt, Instant.now()).toMillis(), writer.acknowledged().size(), writer.longestOutageMillis(),
                    journal.crashedAfter);

            // The failed plan's approval approves nothing; once the cause is fixed, the retry plan's does, on the kept volumes.
            run(Optional.of(plan.planId()), s -> s instanceof Step.Blocked b && b.reason() == ConditionReason.MigrationPeerUnreachable,
                    Duration.ofSeconds(10));
            assertThat(statefulSetReplicas).isZero();
            String retry = failed.message().replaceAll("(?s).*" + Migration.APPROVAL_ANNOTATION + "=(\\w+).*", "$1");
            assertThat(retry).isNotEqualTo(plan.planId());
            runner.listenForPeersWhereAdvertised(1);
            run(Optional.of(retry), s -> Migrations.read(journal.status().getMigration()).filter(m -> m.phase() == Migration.Phase.Completed)
                    .isPresent() && s instanceof Step.Converged, Duration.ofSeconds(120));
            assertThat(admin().listMembers()).extracting(m -> m.peerUrls().get(0))
                    .containsExactlyInAnyOrder(urls.peerUrl(0), urls.peerUrl(1), urls.peerUrl(2));
            assertEveryKeyReadable(writer.acknowledged());
        }
    }

    @Test
    void anUnhealthyExternalClusterIsRefusedAndNothingIsTouched() throws Exception {
        external = EtcdTestCluster.start(3, FAST);
        joinSpec(external.clientUrls(), null);
        List<EtcdMember> membersBefore = admin().listMembers();
        external.member(2).kill();
        // Even with an approval already set, a refusal starts nothing.
        run(Optional.of("anything"), s -> s instanceof Step.Blocked b && b.reason() == ConditionReason.MigrationRefused, Duration.ofSeconds(30));
        Step.Blocked refused = (Step.Blocked) lastStep;
        assertThat(refused.message()).contains("is not healthy", "nothing was changed");
        assertThat(journal.status().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Degraded");
            assertThat(c.getReason()).isEqualTo("MigrationRefused");
        });
        assertThat(admin().listMembers()).containsExactlyInAnyOrderElementsOf(membersBefore);
        assertThat(journal.status().getPendingChange()).isNull();
        assertThat(journal.status().getMigration()).as("no plan for a cluster that cannot be migrated").isNull();
        assertThat(statefulSetReplicas).isZero();
    }

    /** The manual procedure's etcd calls in a tight loop (retrying only what etcd refuses as transient), for the figures. */
    private static long handFloorMillis() throws Exception {
        try (EtcdTestCluster old = EtcdTestCluster.start(3, FAST);
             EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(1)).connect(old.clientUrls())) {
            List<Long> oldIds = admin.listMembers().stream().map(EtcdMember::id).toList();
            long start = System.nanoTime();
            List<Long> newIds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                EtcdProcess next = old.reserveMember();
                MemberAddResult added = retry(() -> admin.addLearner(next.peerUrl()));
                old.join(next, added.members(), FAST);
                retry(() -> {
                    admin.promote(added.added().id());
                    return null;
                });
                newIds.add(added.added().id());
            }
            // One client over old and new members: a leader move must reach the (old) leader, the removals any new member.
            try (EtcdAdmin both = new JetcdEtcdAdminFactory(Duration.ofSeconds(1)).connect(old.clientUrls())) {
                long leader = both.status(old.member(3).clientUrl()).leaderId();
                if (oldIds.contains(leader)) {
                    retry(() -> {
                        both.moveLeader(newIds.get(0));
                        return null;
                    });
                }
            }
            // Removals through the new members only: a removed member answers "raft: stopped" until it exits.
            try (EtcdAdmin fresh = new JetcdEtcdAdminFactory(Duration.ofSeconds(1))
                    .connect(old.members().subList(3, 6).stream().map(EtcdProcess::clientUrl).toList())) {
                for (long id : oldIds) {
                    retry(() -> {
                        fresh.remove(id);
                        return null;
                    });
                }
            }
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    private interface Call<T> {
        T call();
    }

    private static <T> T retry(Call<T> call) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                return call.call();
            } catch (EtcdAdminException e) {
                if (!e.isTransient() || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}

package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.membership.Step;
import com.storageos.etcd.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The membership engine against real etcd processes: the real planner, executor, etcd probe and
 * bootstrap tool, with local processes standing in for pods. Every iteration uses a fresh planner
 * and executor (the journal is the operator's only memory), and the journal store "crashes" the
 * operator after every third write. A writer puts sequence numbers throughout.
 */
class MembershipEtcdIT extends MembershipLoop {
    @Test
    void learnerLoopGrowsShrinksAndRepairsWithoutLosingAWrite() throws Exception {
        journal.crashEvery(3);
        converge(1, Duration.ofSeconds(30));
        try (ContinuousWriter writer = new ContinuousWriter(urls.clientUrls(5))) {
            long t = System.nanoTime();
            converge(3, Duration.ofSeconds(60));
            timings.put("1->3", System.nanoTime() - t);
            assertMembers(3);
            assertThat(steps).contains("AddLearner", "StartMember", "PromoteLearner");

            int leader = observe(admin()).leader().orElseThrow().ordinal();
            // kill -9 of the leader: the "kubelet" restarts it on its data, a follower takes over. Until a new
            // leader is elected no member can prove its health, so this chaos is left out of the quorum tally.
            trackingQuorum = false;
            runner.kill(leader);
            converge(3, Duration.ofSeconds(30));
            trackingQuorum = true;
            assertMembers(3);

            long lostId = member(2).id();
            runner.wipe(2); // the volume is gone: the bootstrap tool reports DataLost
            t = System.nanoTime();
            converge(3, Duration.ofSeconds(60));
            timings.put("lost-volume repair", System.nanoTime() - t);
            assertMembers(3);
            assertThat(member(2).id()).as("ordinal 2 was replaced by a new member").isNotEqualTo(lostId);
            assertThat(steps).contains("RemoveMember");

            t = System.nanoTime();
            converge(5, Duration.ofSeconds(60));
            timings.put("3->5", System.nanoTime() - t);
            assertMembers(5);
            admin().moveLeader(member(4).id()); // the member scale-down removes first now leads
            converge(3, Duration.ofSeconds(60));
            assertMembers(3);
            assertThat(steps).contains("MoveLeader", "RetireOrdinal", "ReleaseVolume");

            Thread.sleep(300);
            writer.close();
            assertEveryAcknowledgedWriteReadable(writer.acknowledged());
            timings.forEach((phase, nanos) -> System.out.printf("membership IT: %s took %d ms%n", phase, nanos / 1_000_000));
            System.out.printf("membership IT: etcd's own floor for 1->3 (add, start, promote by hand, same flags): %d ms%n",
                    EtcdFloor.oneToThreeMillis());
            System.out.printf("membership IT: %d acknowledged writes, longest write outage %d ms, %d injected crashes, worst quorum margin %d%n",
                    writer.acknowledged().size(), writer.longestOutageMillis(), journal.crashes, worstQuorumMargin);
        }
        assertThat(journal.crashes).as("crashes were injected").isPositive();
        assertThat(actionsWithoutQuorum).as("no membership change is made while quorum is lost").isEmpty();
    }

    /**
     * The review's case: member 0, the first endpoint asked, answers with a one-member list. Here an etcd of another cluster
     * took over its URLs, so its list and its cluster ID differ from what members 1 and 2, the real quorum, report. Read
     * through member 0 alone, the cluster looks like one member with three pods, and the StatefulSet was lowered under the
     * two healthy members. Now the disagreement is named and nothing is retired, removed or restarted; once member 0 is
     * back on its own data the cluster converges as before.
     */
    @Test
    void membersThatDisagreeOnMembershipGetNothingDestructive() throws Exception {
        converge(3, Duration.ofSeconds(60));
        runner.replaceWithAnotherCluster(0);
        Instant until = Instant.now().plusSeconds(8);
        List<String> destructive = new ArrayList<>();
        while (Instant.now().isBefore(until)) {
            Step step = reconcile(3);
            if (!(step instanceof Step.Wait || step instanceof Step.Blocked || step instanceof Step.Converged || step instanceof Step.StartMember)) {
                destructive.add(step.toString());
            }
        }
        assertThat(destructive).as("steps acted on while the members disagree").isEmpty();
        assertThat(statefulSetReplicas).isEqualTo(3);
        var degraded = journal.status().getConditions().stream().filter(c -> Conditions.DEGRADED.equals(c.getType())).findFirst().orElseThrow();
        assertThat(degraded.getReason()).isEqualTo("MembershipDisagreement");
        assertThat(degraded.getMessage()).contains("etcd-0 reports cluster ID");

        runner.kill(0); // its pod comes back on its own data
        converge(3, Duration.ofSeconds(60));
        assertMembers(3);
    }

    /**
     * The operator dies right after recording a promotion, and right after recording a scale-down's retirement of a pod:
     * neither act happened (the record comes first), and the next operator carries both out from the journal and etcd.
     */
    @Test
    void anOperatorKilledBetweenTheRecordAndTheActResumes() throws Exception {
        converge(1, Duration.ofSeconds(30));
        reconcileUntil(2, step -> step instanceof Step.PromoteLearner, Duration.ofSeconds(30));
        assertThat(journal.status().getLastAction().getStep()).isEqualTo("PromoteLearner");
        assertThat(member(1).learner()).as("killed after the record, before the promotion").isTrue();
        converge(2, Duration.ofSeconds(30));
        assertMembers(2);

        reconcileUntil(1, step -> step instanceof Step.RetireOrdinal, Duration.ofSeconds(30));
        assertThat(journal.status().getLastAction().getStep()).isEqualTo("RetireOrdinal");
        assertThat(statefulSetReplicas).as("killed after the record, before the StatefulSet was lowered").isEqualTo(2);
        converge(1, Duration.ofSeconds(30));
        assertMembers(1);
        assertThat(journal.crashes).isEqualTo(2);
    }
}

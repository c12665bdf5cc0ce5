package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.spec.PeerAddressing;
import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.membership.Migration;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.status.Migrations;
import com.storageos.etcd.testing.EtcdTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A migration whose new members join at their pods' IPs while external members exist (see MigrationFixture). */
class MigrationPodIpEtcdIT extends MigrationFixture {
    /**
     * spec.bootstrap.join.peerAddressing PodIP: the "pods" listen on loopback addresses of their own as pod IPs, a new one at every
     * start. While the external members exist they see our members at those IPs, a restarted member's URL follows its new IP,
     * and at the end every member is back at its DNS peer URL, with no acknowledged write lost and quorum kept throughout.
     */
    @Test
    void podIpPeerUrlsWhileExternalMembersExistThenTheDnsNames() throws Exception {
        podIpPeers = true;
        runner.close();
        runner = new LocalMemberRunner(names, addressing, volumes, journal::status).withPodIps();
        external = EtcdTestCluster.start(3, FAST);
        List<String> externalUrls = external.clientUrls();
        joinSpec(externalUrls, null);
        resource.getSpec().getBootstrap().getJoin().setPeerAddressing(PeerAddressing.PodIP);
        List<String> before = ContinuousWriter.writeKeys(externalUrls, 200);
        run(Optional.empty(), s -> s instanceof Step.Wait w && w.reason() == ConditionReason.MigrationAwaitingApproval, Duration.ofSeconds(20));
        Migration plan = Migrations.read(journal.status().getMigration()).orElseThrow();
        Optional<String> approval = Optional.of(plan.planId());
        List<String> all = new ArrayList<>(externalUrls);
        all.addAll(urls.clientUrls(3));
        long started = System.nanoTime();
        List<String> acknowledged;
        long gap;
        String movedIp;
        try (ContinuousWriter writer = new ContinuousWriter(all)) {
            run(approval, s -> phase().compareTo(Migration.Phase.SwitchingClients) >= 0, Duration.ofSeconds(120));
            assertThat(externalView(externalUrls)).as("the external members see our members at their pods' IPs")
                    .containsAll(IntStream.range(0, 3).mapToObj(this::podIpPeerUrl).toList());
            assertThat(steps).as("each learner's pod started before its add, which was at the pod's IP: no URL was updated")
                    .contains("StartMember", "AddLearner", "PromoteLearner").doesNotContain("UpdatePeerUrl");
            assertThat(steps.indexOf("StartMember")).isLessThan(steps.indexOf("AddLearner"));

            String oldIp = runner.podIp(1);
            runner.kill(1);
            run(approval, s -> !runner.podIp(1).equals(oldIp) && externalView(externalUrls).contains(podIpPeerUrl(1))
                    && member(1).healthy(), Duration.ofSeconds(60));
            movedIp = runner.podIp(1);
            assertThat(externalView(externalUrls)).as("while the external members exist").hasSize(6);

            run(approval, s -> phase() == Migration.Phase.Completed && s instanceof Step.Converged, Duration.ofSeconds(120));
            Thread.sleep(300);
            writer.close();
            acknowledged = writer.acknowledged();
            gap = writer.longestOutageMillis();
        }
        long took = (System.nanoTime() - started) / 1_000_000;
        List<EtcdMember> members = admin().listMembers();
        assertThat(members).extracting(m -> m.peerUrls().get(0)).as("every member back at its DNS peer URL")
                .containsExactlyInAnyOrder(urls.peerUrl(0), urls.peerUrl(1), urls.peerUrl(2));
        assertThat(worstQuorumMargin).as("quorum never lost").isGreaterThanOrEqualTo(0);
        assertEveryKeyReadable(before);
        assertEveryKeyReadable(acknowledged);
        // A member whose peer URL etcd changed by member update starts again on its data (etcd 3.4 keeps the membership's URL).
        runner.kill(2);
        run(approval, s -> runner.exists(2) && member(2).healthy(), Duration.ofSeconds(60));
        System.out.printf("migration IT (peerAddressing PodIP): 3 external -> 3 operator members in %d ms, %d peer URL updates,"
                + " member 1 followed to %s, %d acknowledged writes, longest write gap %d ms%n", took,
                steps.stream().filter("UpdatePeerUrl"::equals).count(), movedIp, acknowledged.size(), gap);
    }

    private String podIpPeerUrl(int ordinal) {
        return "http://" + runner.podIp(ordinal) + ":2380";
    }

    /** The peer URLs in the member list as an external member answers it. */
    private List<String> externalView(List<String> externalUrls) {
        try (EtcdAdmin one = factory.connect(externalUrls)) {
            return one.listMembers().stream().map(m -> m.peerUrls().get(0)).toList();
        }
    }
}

package com.storageos.etcd.sandbox.bench;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.MemberStatus;
import com.storageos.etcd.sandbox.Chaos;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.node.SandboxNode;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The operator's side of the benchmark: each scenario in a fresh sandbox (own loopback prefix, own temp
 * dir), timed from the change to Ready=True with nothing pending, with a writer measuring the longest outage.
 */
final class OperatorScenarios {

    /** A time and the longest write outage seen meanwhile, in ms, and where the time went ({@link Timeline}). */
    record Result(long millis, long outageMillis, List<String> timeline) {
        @Override
        public String toString() {
            return millis + " ms, longest write outage " + outageMillis + " ms";
        }
    }

    private OperatorScenarios() {
    }

    /** Apply an EtcdCluster with n replicas and wait until it is Ready with n healthy voters. */
    static Result ready(int n) throws Exception {
        try (BenchRun run = new BenchRun(); BackgroundWriter writer = run.writer(); Timeline timeline = run.timeline()) {
            long start = System.nanoTime();
            timeline.begin();
            run.apply(n);
            run.await(c -> ready(c, n));
            return new Result(EtcdFloors.millisSince(start), writer.longestOutageMillis(), timeline.lines());
        }
    }

    /** A Ready 3-member cluster is scaled to 5 by a merge patch of spec.replicas. */
    static Result threeToFive() throws Exception {
        try (BenchRun run = new BenchRun()) {
            run.apply(3);
            run.await(c -> ready(c, 3));
            try (BackgroundWriter writer = run.writer(); Timeline timeline = run.timeline()) {
                Thread.sleep(1000);
                long start = System.nanoTime();
                timeline.begin();
                run.sandbox.client().resources(EtcdCluster.class).inNamespace(Sandbox.NAMESPACE).withName(BenchRun.NAME)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":5}}");
                run.await(c -> ready(c, 5));
                return new Result(EtcdFloors.millisSince(start), writer.longestOutageMillis(), timeline.lines());
            }
        }
    }

    /** What happens to one member pod of the sandbox node. */
    interface Fault {
        void hit(SandboxNode node, String pod) throws Exception;
    }

    /**
     * {@code victims} followers of a Ready cluster of {@code members} meet {@code fault} at once; timed until
     * Ready again with etcd agreeing: every member a started, healthy voter, each victim under a new member
     * ID when its data was lost ({@code newIds}), else under its old one in a new pod or container.
     */
    static Result repair(int members, int victims, Fault fault, boolean newIds) throws Exception {
        try (BenchRun run = new BenchRun()) {
            run.apply(members);
            EtcdCluster before = run.await(c -> ready(c, members));
            try (BackgroundWriter writer = run.writer(); Timeline timeline = run.timeline()) {
                Thread.sleep(1000);
                List<MemberStatus> hit = before.getStatus().getMembers().stream().filter(m -> !Boolean.TRUE.equals(m.getLeader()))
                        .sorted(Comparator.comparing(MemberStatus::getName).reversed()).limit(victims).toList();
                Map<String, String> pods = hit.stream().collect(Collectors.toMap(MemberStatus::getName, m -> run.podIncarnation(m.getName())));
                long start = System.nanoTime();
                timeline.begin();
                for (MemberStatus m : hit) {
                    fault.hit(run.sandbox.node(), m.getName());
                }
                // The status alone can still say Ready for a moment after the fault: the pod must have been
                // restarted or replaced, and etcd itself must agree.
                run.await(c -> ready(c, members) && hit.stream().allMatch(v -> !run.podIncarnation(v.getName()).equals(pods.get(v.getName()))
                        && c.getStatus().getMembers().stream().anyMatch(m -> v.getName().equals(m.getName()) && m.getId() != null
                                && m.getId().equals(v.getId()) != newIds))
                        && run.etcdAgrees(members, hit.stream().collect(Collectors.toMap(MemberStatus::getName, MemberStatus::getId)), newIds));
                return new Result(EtcdFloors.millisSince(start), writer.longestOutageMillis(), timeline.lines());
            }
        }
    }

    static boolean ready(EtcdCluster c, int members) {
        return Chaos.ready(c) && c.getStatus().getMembers() != null && c.getStatus().getMembers().size() == members
                && c.getStatus().getMembers().stream().allMatch(m -> "Voter".equals(m.getRole()) && Boolean.TRUE.equals(m.getHealthy()));
    }
}

package com.storageos.etcd.sandbox.bench;

import com.storageos.etcd.etcdclient.MemberAddResult;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.LoopbackMemberAddressing;
import com.storageos.etcd.sandbox.Sandbox;
import com.storageos.etcd.sandbox.node.SandboxNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Plain etcd processes for one floor measurement, on a fresh loopback prefix and in a fresh temp dir. */
final class FloorCluster implements AutoCloseable {
    private static final ClusterNames NAMES = new ClusterNames("floor", Sandbox.NAMESPACE);
    private final LoopbackMemberAddressing addressing = SandboxBenchmark.freshAddressing();
    private final Path dir;
    private final List<PlainEtcd> members = new ArrayList<>();

    FloorCluster() throws IOException {
        dir = Files.createTempDirectory("etcd-floor-");
    }

    /** The member at this ordinal (created on first use, not started). */
    PlainEtcd member(int ordinal) {
        while (members.size() <= ordinal) {
            int i = members.size();
            members.add(new PlainEtcd("floor-" + i, addressing.memberHost(NAMES, i), dir));
        }
        return members.get(ordinal);
    }

    /** Starts members 0..n-1 together as a static bootstrap, without waiting. */
    void bootstrap(int n) {
        for (int i = 0; i < n; i++) {
            member(i).start(initialCluster(n), "new");
        }
    }

    /** The static --initial-cluster of members 0..n-1. */
    String initialCluster(int n) {
        return IntStream.range(0, n).mapToObj(this::member)
                .map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
    }

    /** Starts the member that {@code added} created, with the member list etcd returned, as state "existing". */
    void join(PlainEtcd next, MemberAddResult added) {
        String initialCluster = added.members().stream()
                .map(m -> (m.id() == added.added().id() ? next.name() : m.name()) + "=" + m.peerUrls().get(0))
                .collect(Collectors.joining(","));
        next.start(initialCluster, "existing");
    }

    /** Waits until members 0..n-1 all report {@code /health} true. */
    void awaitHealthy(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < n; i++) {
            while (!member(i).healthy()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(member(i).name() + " not healthy within " + timeout + "; see " + dir);
                }
                Thread.sleep(10);
            }
        }
    }

    List<String> clientUrls(int n) {
        return members.subList(0, n).stream().map(PlainEtcd::clientUrl).toList();
    }

    @Override
    public void close() throws IOException {
        members.forEach(PlainEtcd::close);
        SandboxNode.deleteTree(dir);
    }
}

package com.storageos.etcd.sandbox.scenarios;

import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples, every 100 ms, one cluster's StatefulSet replicas against the members of ours that etcd lists: each sample reads the
 * replicas, then etcd's member list and the member pods, then the replicas again. A member is ours, at its ordinal, by the name its
 * etcd started with, by its pod's IP or by its member address. The floor is one past the highest such ordinal; the replicas fell
 * below it only when both reads of the sample did, so that a member added or removed between them is never counted.
 */
final class ReplicaFloorWatch implements AutoCloseable {
    /** Every sample whose replicas were below the floor, as text. */
    final List<String> belowFloor = new CopyOnWriteArrayList<>();
    final AtomicLong samples = new AtomicLong();
    /** Each ordinal's member as etcd listed it at a pod IP (not its member address): ordinal to the peer URLs seen. */
    final Map<Integer, Set<String>> podIpPeerUrls = new ConcurrentHashMap<>();
    /** Each ordinal's member pods, by UID: a pod that was replaced shows as a second UID. */
    final Map<Integer, Set<String>> podUids = new ConcurrentHashMap<>();
    private volatile int highestFloor;
    private final Sandbox sandbox;
    private final ClusterNames names;
    private final EtcdAdmin admin;
    private final Thread thread;
    private volatile boolean running = true;

    ReplicaFloorWatch(Sandbox sandbox, ClusterNames names, List<String> endpoints) {
        this.sandbox = sandbox;
        this.names = names;
        this.admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(1)).connect(endpoints);
        this.thread = new Thread(this::loop, "replica-floor-watch");
        thread.setDaemon(true);
        thread.start();
    }

    int highestFloor() {
        return highestFloor;
    }

    private void loop() {
        while (running) {
            long t = System.nanoTime();
            try {
                sample();
            } catch (RuntimeException unanswered) {
                // etcd or the API server did not answer in time: this sample counts neither way.
            }
            long left = 100 - (System.nanoTime() - t) / 1_000_000;
            try {
                Thread.sleep(Math.max(left, 0));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        int before = replicas();
        List<EtcdMember> members = admin.listMembers();
        List<Pod> pods = sandbox.client().pods().inNamespace(names.namespace()).withLabels(Labels.memberSelector(names.cluster()))
                .list().getItems();
        int after = replicas();
        Map<String, Integer> byPodIp = new HashMap<>();
        for (Pod pod : pods) {
            names.ordinalOf(pod.getMetadata().getName()).ifPresent(o -> {
                podUids.computeIfAbsent(o, k -> ConcurrentHashMap.newKeySet()).add(pod.getMetadata().getUid());
                Optional.ofNullable(pod.getStatus()).map(s -> s.getPodIP()).ifPresent(ip -> byPodIp.put(ip, o));
            });
        }
        TreeMap<Integer, String> ours = new TreeMap<>();
        for (EtcdMember m : members) {
            String peerUrl = m.peerUrls().isEmpty() ? "" : m.peerUrls().get(0);
            String host = peerUrl.replaceFirst("^https?://", "").replaceFirst(":[0-9]+$", "");
            Optional<Integer> ordinal = m.started() ? names.ordinalOf(m.name()) : Optional.empty();
            ordinal = ordinal.or(() -> Optional.ofNullable(byPodIp.get(host))).or(() -> memberAddressOrdinal(host));
            ordinal.ifPresent(o -> {
                ours.put(o, peerUrl);
                if (!host.equals(sandbox.addressing().memberHost(names, o))) {
                    podIpPeerUrls.computeIfAbsent(o, k -> ConcurrentHashMap.newKeySet()).add(peerUrl);
                }
            });
        }
        int floor = ours.isEmpty() ? 0 : ours.lastKey() + 1;
        highestFloor = Math.max(highestFloor, floor);
        samples.incrementAndGet();
        if (before < floor && after < floor) {
            belowFloor.add("replicas " + before + " then " + after + " while etcd listed our members " + ours);
        }
    }

    private Optional<Integer> memberAddressOrdinal(String host) {
        for (int o = 0; o < 10; o++) {
            if (sandbox.addressing().memberHost(names, o).equals(host)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    private int replicas() {
        StatefulSet set = sandbox.client().apps().statefulSets().inNamespace(names.namespace()).withName(names.statefulSet()).get();
        return set == null || set.getSpec().getReplicas() == null ? 0 : set.getSpec().getReplicas();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(3000);
        admin.close();
    }
}

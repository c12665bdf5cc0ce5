package com.storageos.etcd.reconciler.etcdcluster.members;

import com.storageos.etcd.etcdclient.EndpointStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAlarm;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.etcdclient.MemberAddResult;
import com.storageos.etcd.etcdclient.MemberListing;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/** A real {@link EtcdAdmin} whose every call to etcd is counted by name before it goes through. */
final class CountingEtcdAdmin implements EtcdAdmin {
    private final EtcdAdmin real;
    private final Map<String, Integer> calls = new TreeMap<>();

    CountingEtcdAdmin(EtcdAdmin real) {
        this.real = real;
    }

    /** The calls counted since the last {@link #reset()}, by method name. */
    synchronized Map<String, Integer> calls() {
        return Map.copyOf(calls);
    }

    synchronized void reset() {
        calls.clear();
    }

    private <T> T count(String call, Supplier<T> rpc) {
        synchronized (this) {
            calls.merge(call, 1, Integer::sum);
        }
        return rpc.get();
    }

    private void count(String call, Runnable rpc) {
        count(call, () -> {
            rpc.run();
            return null;
        });
    }

    @Override public List<EtcdMember> listMembers() { return count("listMembers", real::listMembers); }
    @Override public MemberListing memberListing() { return count("memberListing", real::memberListing); }
    @Override public MemberListing listMembersAt(String url) { return count("listMembersAt", () -> real.listMembersAt(url)); }
    @Override public long clusterId() { return count("clusterId", real::clusterId); }
    @Override public MemberAddResult addLearner(String peerUrl) { return count("addLearner", () -> real.addLearner(peerUrl)); }
    @Override public void promote(long memberId) { count("promote", () -> real.promote(memberId)); }
    @Override public void remove(long memberId) { count("remove", () -> real.remove(memberId)); }
    @Override public void updatePeerUrl(long memberId, String peerUrl) { count("updatePeerUrl", () -> real.updatePeerUrl(memberId, peerUrl)); }
    @Override public void moveLeader(long targetId) { count("moveLeader", () -> real.moveLeader(targetId)); }
    @Override public EndpointStatus status(String url) { return count("status", () -> real.status(url)); }
    @Override public Optional<String> clusterVersion() { return count("clusterVersion", real::clusterVersion); }
    @Override public boolean isHealthy(String url) { return count("isHealthy", () -> real.isHealthy(url)); }
    @Override public void defragment(String url) { count("defragment", () -> real.defragment(url)); }
    @Override public List<EtcdAlarm> alarms() { return count("alarms", real::alarms); }
    @Override public void disarm(EtcdAlarm alarm) { count("disarm", () -> real.disarm(alarm)); }
    @Override public long snapshot(String url, OutputStream out) { return count("snapshot", () -> real.snapshot(url, out)); }

    @Override
    public void close() {
        real.close();
    }
}

package com.storageos.etcd.etcdclient;

import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.Member;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * {@link EtcdAdmin} over etcd's gRPC API, with jetcd's generated stubs: one {@link MemberChannel} per
 * member, cached per URL; cluster-wide calls (members, alarms) go to the first member that answers.
 * Not through a jetcd {@code Client}: each of those starts its own Vert.x instance (event loops, worker
 * pools, a timer thread), which for an operator holding one admin per cluster cost about 1 MiB of heap
 * and several threads per cluster; plain gRPC channels share one event loop group.
 */
public final class JetcdEtcdAdmin implements EtcdAdmin {

    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final List<String> clientUrls;
    private final Duration callTimeout;
    private final Duration bulkTimeout;
    private final ClientCredentials credentials;
    private final Map<String, MemberChannel> members = new ConcurrentHashMap<>();
    private final VersionEndpoint versions;

    /** Snapshot and defragment get {@code BULK_FACTOR x callTimeout}: they scale with the db size, not with latency. */
    static final int BULK_FACTOR = 12;

    /** @param tls the client certificate for https endpoints; null for plain http */
    public JetcdEtcdAdmin(List<String> clientUrls, Duration callTimeout, Duration bulkTimeout, ClientTls tls) {
        this(clientUrls, callTimeout, bulkTimeout, ClientCredentials.of(tls));
    }

    /** @param credentials the client certificate each https endpoint gets */
    public JetcdEtcdAdmin(List<String> clientUrls, Duration callTimeout, Duration bulkTimeout, ClientCredentials credentials) {
        if (clientUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one client URL is needed");
        }
        if (clientUrls.stream().anyMatch(u -> u.startsWith("https:") && credentials.forUrl(u) == null)) {
            throw new IllegalArgumentException(clientUrls + " need a client certificate: etcd requires one on every TLS connection");
        }
        this.clientUrls = List.copyOf(clientUrls);
        this.callTimeout = callTimeout;
        this.bulkTimeout = bulkTimeout;
        this.credentials = credentials;
        this.versions = new VersionEndpoint(callTimeout);
    }

    @Override
    public List<EtcdMember> listMembers() {
        return read(member -> member.memberList(callTimeout)).getMembersList().stream().map(JetcdEtcdAdmin::toMember).toList();
    }

    @Override
    public MemberListing listMembersAt(String clientUrl) {
        var response = member(clientUrl).memberList(callTimeout);
        return new MemberListing(response.getHeader().getClusterId(), response.getHeader().getMemberId(),
                response.getMembersList().stream().map(JetcdEtcdAdmin::toMember).toList());
    }

    @Override
    public long clusterId() {
        return read(member -> member.memberList(callTimeout)).getHeader().getClusterId();
    }

    /**
     * Not through jetcd's cluster client: it retries refusals such as "unhealthy cluster" in the
     * background, after our deadline, and every retry adds another member.
     */
    @Override
    public MemberAddResult addLearner(String peerUrl) {
        var response = onFirstReachable(member -> member.addLearner(peerUrl, callTimeout));
        return new MemberAddResult(toMember(response.getMember()),
                response.getMembersList().stream().map(JetcdEtcdAdmin::toMember).toList());
    }

    /** Any member accepts a promotion (followers forward it to the leader). */
    @Override
    public void promote(long memberId) {
        onFirstReachable(member -> {
            member.promote(memberId, callTimeout);
            return null;
        });
    }

    @Override
    public void remove(long memberId) {
        onFirstReachable(member -> {
            member.remove(memberId, callTimeout);
            return null;
        });
    }

    /** Through the generated Cluster stub like the other membership calls (jetcd's Cluster.updateMember is the same RPC). */
    @Override
    public void updatePeerUrl(long memberId, String peerUrl) {
        onFirstReachable(member -> {
            member.updatePeerUrl(memberId, peerUrl, callTimeout);
            return null;
        });
    }

    /** Sends one request to the first member that answers at all; etcd's own refusals are final for this attempt. */
    private <T> T onFirstReachable(Function<MemberChannel, T> request) {
        EtcdAdminException last = null;
        for (String url : clientUrls) {
            try {
                return request.apply(member(url));
            } catch (EtcdAdminException e) {
                if (e.kind() != EtcdAdminException.Kind.UNAVAILABLE) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** etcd only accepts MoveLeader from the leader itself, so find which endpoint that is first. */
    @Override
    public void moveLeader(long targetId) {
        member(leaderUrl()).moveLeader(targetId, callTimeout);
    }

    @Override
    public EndpointStatus status(String clientUrl) {
        return member(clientUrl).status(callTimeout);
    }

    /** Read over HTTP from the first member that answers: every member reports the same, agreed through raft. */
    @Override
    public Optional<String> clusterVersion() {
        EtcdAdminException last = null;
        for (String url : clientUrls) {
            if (url.startsWith("https:") && credentials.forUrl(url) == null) {
                continue;
            }
            try {
                return versions.clusterVersion(url, credentials.forUrl(url));
            } catch (EtcdAdminException e) {
                last = e;
            }
        }
        throw last != null ? last : new EtcdAdminException(EtcdAdminException.Kind.OTHER, "no client certificate for " + clientUrls, null);
    }

    /** NOSPACE does not block reads, so a member with that alarm is still healthy here; see {@link #alarms()}. */
    @Override
    public boolean isHealthy(String clientUrl) {
        try {
            member(clientUrl).linearizableRead(callTimeout);
            return true;
        } catch (EtcdAdminException e) {
            return false;
        }
    }

    @Override
    public void defragment(String clientUrl) {
        member(clientUrl).defragment(bulkTimeout);
    }

    @Override
    public List<EtcdAlarm> alarms() {
        return read(member -> member.alarms(callTimeout)).stream().map(a -> new EtcdAlarm(a.getMemberID(), a.getAlarm().name())).toList();
    }

    /** etcd deactivates alarms per (member, type), so disarm each matching one that is active. */
    @Override
    public void disarm(EtcdAlarm alarm) {
        for (AlarmMember active : read(member -> member.alarms(callTimeout))) {
            if (active.getAlarm().name().equals(alarm.type())) {
                onFirstReachable(member -> {
                    member.disarm(active, callTimeout);
                    return null;
                });
            }
        }
    }

    @Override
    public long snapshot(String clientUrl, OutputStream out) {
        return member(clientUrl).snapshot(out, bulkTimeout);
    }

    @Override
    public void close() {
        members.values().forEach(MemberChannel::close);
        members.clear();
    }

    private String leaderUrl() {
        List<String> failures = new ArrayList<>();
        for (String url : clientUrls) {
            try {
                if (status(url).isLeader()) {
                    return url;
                }
            } catch (EtcdAdminException e) {
                failures.add(e.getMessage());
            }
        }
        throw new EtcdAdminException(EtcdAdminException.Kind.UNAVAILABLE,
                "no endpoint of " + clientUrls + " is the leader; failures: " + failures, null);
    }

    private MemberChannel member(String clientUrl) {
        if (clientUrl.startsWith("https:") && credentials.forUrl(clientUrl) == null) {
            // A listed member behind TLS this connection has no certificate for (an external member during a migration,
            // seen by a backup or defrag tool of ours): unreachable to this caller, who moves on to the next member.
            throw new EtcdAdminException(EtcdAdminException.Kind.OTHER, clientUrl + ": no client certificate for this member's TLS", null);
        }
        return members.computeIfAbsent(clientUrl, url -> new MemberChannel(url, credentials.forUrl(url)));
    }

    /**
     * Reads are safe to repeat, so while no member answers they are retried within the same deadline: a
     * member that just went away is skipped for the next, and a cluster electing a leader gets a moment.
     */
    private <T> T read(Function<MemberChannel, T> request) {
        long deadline = System.nanoTime() + callTimeout.toNanos();
        while (true) {
            try {
                return onFirstReachable(request);
            } catch (EtcdAdminException e) {
                if (e.kind() != EtcdAdminException.Kind.UNAVAILABLE || System.nanoTime() + RETRY_PAUSE_NANOS >= deadline) {
                    throw e;
                }
                LockSupport.parkNanos(RETRY_PAUSE_NANOS);
            }
        }
    }

    private static EtcdMember toMember(Member m) {
        return new EtcdMember(m.getID(), m.getName(), m.getPeerURLsList(), m.getClientURLsList(), m.getIsLearner());
    }
}

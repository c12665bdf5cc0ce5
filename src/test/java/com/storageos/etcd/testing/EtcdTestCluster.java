package com.storageos.etcd.testing;

import com.storageos.etcd.etcdclient.EtcdMember;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The etcd processes of one test cluster. Owns every member it started or reserved: {@link #close()}
 * kills them all and deletes their dirs, so use it in try-with-resources or an {@code @AfterEach}.
 *
 * <pre>{@code
 * try (EtcdTestCluster cluster = EtcdTestCluster.start(3)) {
 *     admin = factory.connect(cluster.clientUrls());
 * }
 * }</pre>
 */
public final class EtcdTestCluster implements AutoCloseable {

    private final String prefix = "m" + UUID.randomUUID().toString().substring(0, 6) + "-";
    private final List<EtcdProcess> members = new CopyOnWriteArrayList<>();
    private final Path tlsDir;
    private final boolean peerTls;
    private final EtcdBinaries release;

    private EtcdTestCluster(Path tlsDir, boolean peerTls, EtcdBinaries release) {
        this.tlsDir = tlsDir;
        this.peerTls = peerTls;
        this.release = release;
    }

    /** Starts a new cluster of {@code size} voting members and waits until all are healthy. */
    public static EtcdTestCluster start(int size, String... extraFlags) {
        return start(size, null, false, extraFlags);
    }

    /**
     * As {@link #start(int, String...)}, with mutual TLS on the client listener from the files in {@code tlsDir} (see
     * {@link EtcdProcess#reserve(String, Path)}), and on the peer listener too with {@code peerTls}.
     */
    public static EtcdTestCluster start(int size, Path tlsDir, boolean peerTls, String... extraFlags) {
        return start(EtcdBinaries.tested(), size, tlsDir, peerTls, extraFlags);
    }

    /** As {@link #start(int, String...)}, on another etcd release than the tested line. */
    public static EtcdTestCluster start(EtcdBinaries release, int size, String... extraFlags) {
        return start(release, size, null, false, extraFlags);
    }

    private static EtcdTestCluster start(EtcdBinaries release, int size, Path tlsDir, boolean peerTls, String... extraFlags) {
        EtcdTestCluster cluster = new EtcdTestCluster(tlsDir, peerTls, release);
        try {
            for (int i = 0; i < size; i++) {
                cluster.reserveMember();
            }
            if (size == 1) {
                cluster.members.get(0).startNewCluster(extraFlags);
                return cluster;
            }
            // All members of a new multi-member cluster must run before any can elect a leader.
            String initialCluster = cluster.members.stream()
                    .map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
            for (EtcdProcess m : cluster.members) {
                m.startMember(initialCluster, "new", extraFlags);
            }
            cluster.members.forEach(EtcdProcess::awaitHealthy);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Reserves ports and a dir for one more member, not yet started nor added to etcd's member list. */
    public EtcdProcess reserveMember() {
        EtcdProcess member = EtcdProcess.reserve(prefix + members.size(), tlsDir, peerTls).release(release);
        members.add(member);
        return member;
    }

    /**
     * Starts a reserved member joining this cluster, after it was added (e.g. as a learner).
     *
     * @param memberList the member list returned by member add; the entry with this member's
     *                   peer URL gets this member's name
     */
    public void join(EtcdProcess member, List<EtcdMember> memberList, String... extraFlags) {
        String initialCluster = memberList.stream()
                .flatMap(m -> m.peerUrls().stream().map(url -> (url.equals(member.peerUrl()) ? member.name() : m.name())
                        + "=" + url))
                .collect(Collectors.joining(","));
        member.startJoining(initialCluster, extraFlags);
    }

    /** Every member this cluster owns, started or not, in reservation order. */
    public List<EtcdProcess> members() {
        return List.copyOf(members);
    }

    public EtcdProcess member(int index) {
        return members.get(index);
    }

    /** Client URLs of the members that are running now. */
    public List<String> clientUrls() {
        List<String> urls = new ArrayList<>();
        members.stream().filter(EtcdProcess::isAlive).forEach(m -> urls.add(m.clientUrl()));
        return urls;
    }

    /** Kills every member and deletes their dirs. */
    @Override
    public void close() {
        members.forEach(EtcdProcess::close);
    }
}

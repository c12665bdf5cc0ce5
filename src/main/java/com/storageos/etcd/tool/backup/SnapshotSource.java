package com.storageos.etcd.tool.backup;

import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A member a snapshot may come from. Followers go first: a snapshot loads the member that serves it. */
public record SnapshotSource(String name, String clientUrl, boolean leader) {

    /** Followers first, the leader last, otherwise by name so runs are repeatable. */
    public static List<SnapshotSource> order(List<SnapshotSource> sources) {
        List<SnapshotSource> sorted = new ArrayList<>(sources);
        sorted.sort(Comparator.comparing(SnapshotSource::leader).thenComparing(SnapshotSource::name));
        return sorted;
    }

    /**
     * The started voters as etcd lists them, each marked leader or not. Members that do not answer
     * status still appear (as followers); the health check before the snapshot sorts them out.
     * Without a member list the configured endpoints stand in.
     */
    public static List<SnapshotSource> discover(EtcdAdmin admin, List<String> endpoints) {
        List<SnapshotSource> found = new ArrayList<>();
        for (EtcdMember m : voters(admin, endpoints)) {
            String url = m.clientUrls().get(0);
            found.add(new SnapshotSource(m.name(), url, isLeader(admin, url)));
        }
        return order(found);
    }

    private static List<EtcdMember> voters(EtcdAdmin admin, List<String> endpoints) {
        try {
            return admin.listMembers().stream().filter(m -> m.started() && !m.learner() && !m.clientUrls().isEmpty()).toList();
        } catch (EtcdAdminException e) {
            return endpoints.stream().map(url -> new EtcdMember(0, url, List.of(), List.of(url), false)).toList();
        }
    }

    private static boolean isLeader(EtcdAdmin admin, String url) {
        try {
            return admin.status(url).isLeader();
        } catch (EtcdAdminException e) {
            return false;
        }
    }
}

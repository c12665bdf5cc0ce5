package com.storageos.etcd.tool.pitr;

import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The client URLs the agent follows etcd through: the started voters, as the member it follows lists them, then the
 * configured ones (the client Service in Kubernetes, which reaches whichever members are Ready). The agent's pod names
 * no member, so that a scale does not restart it; it reads the list again every {@link #EVERY} instead.
 */
final class FollowedMembers {
    static final Duration EVERY = Duration.ofSeconds(10);
    private final EtcdAdmin admin;
    private final List<String> configured;
    private final Consumer<String> log;
    private volatile List<String> urls;
    private long listedAt;
    private boolean listed;

    FollowedMembers(EtcdAdmin admin, List<String> configured, Consumer<String> log) {
        this.admin = admin;
        this.log = log;
        this.configured = List.copyOf(configured);
        this.urls = this.configured;
    }

    /** Every URL known now, the voters first. */
    List<String> all() {
        return urls;
    }

    /** The URL of a reconnect: each in turn, so that a member that does not answer is not tried twice in a row. */
    String forAttempt(int attempt) {
        List<String> known = urls;
        return known.get(attempt % known.size());
    }

    /** Lists the voters at {@code url} (the member followed, at a change or a reconnect) once the last list is {@link #EVERY} old. */
    void refreshThrough(String url) {
        long now = System.nanoTime();
        if (listed && now - listedAt < EVERY.toNanos()) {
            return;
        }
        listed = true;
        listedAt = now;
        try {
            List<String> voters = admin.listMembersAt(url).members().stream().filter(m -> m.started() && !m.learner())
                    .map(EtcdMember::clientUrls).filter(u -> !u.isEmpty()).map(u -> u.get(0)).toList();
            List<String> known = Stream.concat(voters.stream(), configured.stream()).distinct().toList();
            if (!known.equals(urls)) {
                log.accept("following the members at " + String.join(", ", known));
            }
            urls = known;
        } catch (EtcdAdminException e) {
            // Kept as they were, unlogged: a member that is down says so at every reconnect already. The next list tells.
        }
    }
}

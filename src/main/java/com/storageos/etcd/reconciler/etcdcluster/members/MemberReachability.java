package com.storageos.etcd.reconciler.etcdcluster.members;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The operator's one log line per etcd member it cannot reach: written when the member stops answering (or is
 * first seen not answering) and when it answers again, never on every reconcile and without a stack trace. gRPC's
 * own warnings, which carried a full trace each time a member's DNS name did not resolve yet, are quieted in
 * application.properties.
 */
final class MemberReachability {
    private static final Logger LOG = Logger.getLogger(MemberReachability.class);
    /** The whole cluster: no endpoint answered the member list. */
    static final String ANY_MEMBER = "";

    /** Per cluster, the members last seen not answering and why. */
    private final Map<String, Map<String, String>> unreachable = new ConcurrentHashMap<>();

    /**
     * @param cluster namespace/name
     * @param down    each member (by name, or {@link #ANY_MEMBER}) that did not answer, with the reason
     * @param up      the members that answered
     */
    void observed(String cluster, Map<String, String> down, Iterable<String> up) {
        Map<String, String> before = unreachable.getOrDefault(cluster, Map.of());
        down.forEach((member, reason) -> {
            if (!before.containsKey(member)) {
                LOG.warnf("etcd cluster %s: %s: %s", cluster,
                        member.equals(ANY_MEMBER) ? "no member can be reached" : "member " + member + " cannot be reached", firstLine(reason));
            }
        });
        for (String member : up) {
            if (before.containsKey(member)) {
                LOG.infof("etcd cluster %s: member %s answers again", cluster, member);
            }
        }
        if (before.containsKey(ANY_MEMBER) && !down.containsKey(ANY_MEMBER)) {
            LOG.infof("etcd cluster %s: members answer again", cluster);
        }
        if (down.isEmpty()) {
            unreachable.remove(cluster);
        } else {
            unreachable.put(cluster, new HashMap<>(down));
        }
    }

    private static String firstLine(String reason) {
        String text = reason == null ? "no answer" : reason;
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}

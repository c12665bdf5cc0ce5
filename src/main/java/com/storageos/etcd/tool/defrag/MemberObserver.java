package com.storageos.etcd.tool.defrag;

import com.storageos.etcd.etcdclient.EndpointStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import com.storageos.etcd.etcdclient.EtcdMember;
import com.storageos.etcd.tool.defrag.DefragPlan.MemberState;
import java.util.ArrayList;
import java.util.List;

/** Every member etcd lists, learners included (they have a db too), with its health and db sizes. */
final class MemberObserver {
    private MemberObserver() {
    }

    static List<MemberState> observe(EtcdAdmin admin) {
        List<MemberState> states = new ArrayList<>();
        for (EtcdMember m : admin.listMembers()) {
            if (!m.started() || m.clientUrls().isEmpty()) {
                // Added but never started: it cannot be defragmented, and the cluster is not settled.
                states.add(new MemberState(m.started() ? m.name() : m.idHex(), "", false, false, 0, 0));
                continue;
            }
            states.add(state(admin, m.name(), m.clientUrls().get(0)));
        }
        return states;
    }

    private static MemberState state(EtcdAdmin admin, String name, String url) {
        try {
            EndpointStatus s = admin.status(url);
            // Not status errors: under NOSPACE they list the alarm, and that member is the one to defragment.
            return new MemberState(name, url, s.isLeader(), admin.isHealthy(url), s.dbSize(), s.dbSizeInUse());
        } catch (EtcdAdminException e) {
            return new MemberState(name, url, false, false, 0, 0);
        }
    }
}

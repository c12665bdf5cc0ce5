package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.ActionStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalConflict;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The acts no journal write of their own precedes: a promotion, a peer URL update, a leader move and the StatefulSet's replica
 * changes. Each is recorded first with a compare-and-swap (status.lastAction, or the RetirePod journal a pod without a member
 * opens), so that a lost swap ({@link JournalConflict}) propagates with nothing done, and of two operators in a
 * leader-election overlap only one acts on the same reading. An operator that dies between the record and the act plans
 * again from what etcd and the StatefulSet show: each act is idempotent, or found done (a promoted learner is a voter).
 */
final class RecordedActs {
    private final EtcdAdmin admin;
    private final JournalStore journal;
    private final ClusterEvents events;
    private final EtcdCluster resource;
    private final ClusterNames names;
    private final Clock clock;

    RecordedActs(EtcdAdmin admin, JournalStore journal, ClusterEvents events, EtcdCluster resource, ClusterNames names, Clock clock) {
        this.admin = admin;
        this.journal = journal;
        this.events = events;
        this.resource = resource;
        this.names = names;
        this.clock = clock;
    }

    /** The scale acts return the StatefulSet's new replica count, which the workload stage applies. */
    StepResult startMember(Step.StartMember s) {
        record(s, s.podCount() + " pods");
        return StepResult.scaled(s.podCount(), StepExecutor.POD);
    }

    StepResult restorePods(Step.RestorePods r) {
        record(r, r.podCount() + " pods");
        events.warning(resource, "RestoringPods", r.message());
        return StepResult.scaled(r.podCount(), StepExecutor.POD);
    }

    /** A pod without a member is retired under the RetirePod journal its step opens; under an open journal, in status.lastAction. */
    StepResult retireOrdinal(Step.RetireOrdinal r) {
        if (r.journal().isPresent()) {
            journal.record(r.journal(), null);
        } else {
            record(r, names.member(r.ordinal()) + ", " + r.podCount() + " pods");
        }
        return StepResult.scaled(r.podCount(), StepExecutor.POD);
    }

    StepResult promote(Step.PromoteLearner p) {
        String member = names.member(p.ordinal()) + " (" + Long.toHexString(p.memberId()) + ")";
        record(p, member);
        admin.promote(p.memberId());
        journal.record(Optional.empty(), null);
        events.normal(resource, "MemberPromoted", member + " is now a voter");
        return StepResult.after(Duration.ZERO);
    }

    StepResult updatePeerUrl(Step.UpdatePeerUrl u) {
        String member = names.member(u.ordinal()) + " (" + Long.toHexString(u.memberId()) + ")";
        record(u, member + " to " + u.peerUrl());
        admin.updatePeerUrl(u.memberId(), u.peerUrl());
        events.normal(resource, "PeerUrlUpdated", member + " is advertised at " + u.peerUrl() + ": " + u.why());
        return StepResult.after(Duration.ZERO);
    }

    StepResult moveLeader(Step.MoveLeader m) {
        String move = Long.toHexString(m.fromId()) + " to " + Long.toHexString(m.toId());
        record(m, move);
        admin.moveLeader(m.toId());
        events.normal(resource, "LeaderMoved", "leadership moved from " + move);
        return StepResult.after(StepExecutor.FAST);
    }

    private void record(Step step, String target) {
        journal.recordAction(new ActionStatus(step.getClass().getSimpleName(), target, clock.instant().toString()));
    }
}

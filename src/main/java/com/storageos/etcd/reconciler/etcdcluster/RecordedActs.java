package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.ActionStatus;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;
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

    /** StartMember, RestorePods or RetireOrdinal: the StatefulSet's new replica count, applied by the workload stage. */
    StepResult scale(Step step) {
        if (step instanceof Step.StartMember s) {
            record(step, s.podCount() + " pods");
            return StepResult.scaled(s.podCount(), StepExecutor.POD);
        } else if (step instanceof Step.RestorePods r) {
            record(step, r.podCount() + " pods");
            events.warning(resource, "RestoringPods", r.message());
            return StepResult.scaled(r.podCount(), StepExecutor.POD);
        }
        Step.RetireOrdinal r = (Step.RetireOrdinal) step;
        if (r.journal().isPresent()) {
            journal.record(r.journal(), null);
        } else {
            record(step, names.member(r.ordinal()) + ", " + r.podCount() + " pods");
        }
        return StepResult.scaled(r.podCount(), StepExecutor.POD);
    }

    /** PromoteLearner, UpdatePeerUrl or MoveLeader. */
    StepResult inEtcd(Step step) {
        if (step instanceof Step.PromoteLearner p) {
            String member = names.member(p.ordinal()) + " (" + Long.toHexString(p.memberId()) + ")";
            record(step, member);
            admin.promote(p.memberId());
            journal.record(Optional.empty(), null);
            events.normal(resource, "MemberPromoted", member + " is now a voter");
            return StepResult.after(Duration.ZERO);
        } else if (step instanceof Step.UpdatePeerUrl u) {
            String member = names.member(u.ordinal()) + " (" + Long.toHexString(u.memberId()) + ")";
            record(step, member + " to " + u.peerUrl());
            admin.updatePeerUrl(u.memberId(), u.peerUrl());
            events.normal(resource, "PeerUrlUpdated", member + " is advertised at " + u.peerUrl() + ": " + u.why());
            return StepResult.after(Duration.ZERO);
        }
        Step.MoveLeader m = (Step.MoveLeader) step;
        String move = Long.toHexString(m.fromId()) + " to " + Long.toHexString(m.toId());
        record(step, move);
        admin.moveLeader(m.toId());
        events.normal(resource, "LeaderMoved", "leadership moved from " + move);
        return StepResult.after(StepExecutor.FAST);
    }

    private void record(Step step, String target) {
        journal.recordAction(new ActionStatus(step.getClass().getSimpleName(), target, clock.instant().toString()));
    }
}

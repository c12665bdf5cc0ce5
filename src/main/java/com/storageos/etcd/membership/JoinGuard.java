package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.util.Optional;

/**
 * PURE: while a migration joins, whether the open scale-up may go on. Its learner is promoted only once every external
 * member whose probes could be read has reached its peer URL; a learner the external cluster did not accept, start or
 * promote within the learner deadline, or one an external member never reached, fails the migration, which is then
 * rolled back ({@link MigrationRollback}).
 */
final class JoinGuard {
    /** About 35 s of the learner's probing (two probes, recorded at 5 s and then every 30 s). */
    static final int UNREACHED_AFTER_PROBES = 4;
    private final PlanInput in;
    private final MigrationInput m;
    private final ClusterObservation obs;

    JoinGuard(PlanInput in, MigrationInput m) {
        this.in = in;
        this.m = m;
        this.obs = in.observation();
    }

    /**
     * While joining, before the open scale-up journal goes on: a learner of ours is promoted only once every external member
     * whose probes could be read has reached its peer URL, and a learner that cannot join fails the migration.
     */
    Optional<Step> check(Journal journal) {
        if (journal.operation() != Operation.ScaleUp || !obs.etcdReachable()) {
            return Optional.empty();
        }
        boolean late = journal.phaseAge(obs.now()).compareTo(in.learnerDeadline()) > 0;
        if (journal.phase() == Phase.AddRequested) {
            return late && obs.memberWithPeerUrl(journal.peerUrl()).isEmpty()
                    ? Optional.of(fail(ConditionReason.MigrationFailed, "the external cluster did not accept " + journal.peerUrl()
                    + " as a learner within " + in.learnerDeadline().toSeconds() + " s (is every external member healthy?)"))
                    : Optional.empty();
        }
        Optional<ObservedMember> learner = obs.member(journal.memberId()).filter(ObservedMember::learner);
        if (journal.phase() != Phase.MemberAdded || learner.isEmpty()) {
            return Optional.empty();
        }
        Optional<ObservedMember> unreached = notReaching(learner.get());
        if (unreached.isPresent() && (late || learnerProbedLongEnough(learner.get(), unreached.get()))) {
            ObservedMember x = unreached.get();
            return Optional.of(fail(ConditionReason.MigrationPeerUnreachable, "external member " + x.name() + " (" + x.clientUrl()
                    + ") never reached new member " + journal.peerUrl() + " (" + Long.toHexString(learner.get().id()) + ")"
                    + " with its peer probes, while the new member reached it: the external members cannot connect to the new"
                    + " members' peer URLs (see docs/migration.md, which networks work)"));
        }
        if (late) {
            return Optional.of(fail(ConditionReason.MigrationFailed, "learner " + journal.peerUrl() + " (" + Long.toHexString(learner.get().id())
                    + ") was not " + (learner.get().started() ? "promoted" : "started") + " within " + in.learnerDeadline().toSeconds()
                    + " s of its add"));
        }
        return unreached.filter(x -> learner.get().started()).map(x -> new Step.Wait(ConditionReason.MigrationVerifyingPeers,
                "learner " + journal.peerUrl() + " is promoted once external member " + x.name() + " reached its peer URL", Pace.POD));
    }

    /** A healthy external voter whose probes were read and show no round trip to the learner's peer URL. */
    private Optional<ObservedMember> notReaching(ObservedMember learner) {
        return obs.voters().stream().filter(x -> x.ordinal() < 0 && x.healthy() && m.peerProbes().containsKey(x.id()))
                .filter(x -> !Optional.ofNullable(m.peerProbes().get(x.id()).get(learner.id())).map(PeerProbe::reached).orElse(false))
                .findFirst();
    }

    /**
     * The learner's own probes of that external member are the clock, not a deadline from its add, which a slow pod start
     * would use up: it reached the member and has recorded that often enough (etcd records every 30 s once a probe succeeds,
     * every 5 s before, for each of its two probes), while the member, probing every few seconds too, never reached it.
     */
    private boolean learnerProbedLongEnough(ObservedMember learner, ObservedMember external) {
        return Optional.ofNullable(m.peerProbes().get(learner.id())).map(p -> p.get(external.id()))
                .filter(p -> p.reached() && p.observations() >= UNREACHED_AFTER_PROBES).isPresent();
    }

    private Step fail(ConditionReason reason, String why) {
        return new Step.MigrationProgress(m.recorded().orElseThrow().failing(reason, why), reason, "the migration failed: " + why
                + "; rolling back: every member of ours is removed from the external cluster, which stays whole");
    }
}

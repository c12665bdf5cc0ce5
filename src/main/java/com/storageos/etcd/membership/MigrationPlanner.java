package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.membership.Journal.Operation;
import com.storageos.etcd.membership.Journal.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * PURE: the next step of a migration from an external etcd cluster (spec.bootstrap.join), between the membership
 * journals it opens. Its order is the manual procedure's, with StorageOS switched before the old members go:
 * check the external cluster, show the plan and wait for approval, add each member of ours as a learner and
 * promote it (the ordinary scale-up journal), switch StorageOS, then remove the external members one by one.
 */
final class MigrationPlanner {
    static final String APPROVAL = Migration.APPROVAL_ANNOTATION;
    static final Duration APPROVAL_RECHECK = Duration.ofSeconds(5);
    /** A node pod restart takes seconds; each look lists the StorageOS node pods once. */
    static final Duration STORAGEOS_RECHECK = Duration.ofSeconds(2);
    private final PlanInput in;
    private final MigrationInput m;
    private final ClusterObservation obs;

    MigrationPlanner(PlanInput in, MigrationInput m) {
        this.in = in;
        this.m = m;
        this.obs = in.observation();
    }

    Step next() {
        Migration.Phase phase = m.recorded().map(Migration::phase).orElse(Migration.Phase.Proposed);
        return switch (phase) {
            case Proposed -> propose();
            case Joining -> join();
            case SwitchingClients -> switchClients();
            case AwaitingStorageOSRestart -> awaitStorageOSRestart();
            case RemovingExternalMembers -> removeExternal();
            case Completed -> new Step.Converged();
            case RollingBack, Failed -> new MigrationRollback(in, m).next();
        };
    }

    /** Nothing is touched before approval: a refusal or the plan, and the plan's approval starts it. */
    private Step propose() {
        Optional<String> refused = precheck();
        if (refused.isPresent()) {
            return new Step.Blocked(ConditionReason.MigrationRefused, refused.get() + "; nothing was changed");
        }
        Migration plan = plan();
        if (m.approval().filter(plan.planId()::equals).isPresent()) {
            return new Step.MigrationProgress(plan.withPhase(Migration.Phase.Joining), ConditionReason.MigrationStarted,
                    "plan " + plan.planId() + " approved: adding this cluster's members as learners of the external cluster");
        }
        String ask = "the migration plan is in status.migration.plan; approve it with kubectl annotate etcdcluster <name> "
                + APPROVAL + "=" + plan.planId()
                + m.approval().map(v -> " (the annotation's value " + v + " names no current plan)").orElse("");
        if (m.recorded().filter(plan::equals).isEmpty()) {
            return new Step.MigrationProgress(plan, ConditionReason.MigrationAwaitingApproval, ask);
        }
        return new Step.Wait(ConditionReason.MigrationAwaitingApproval, ask, APPROVAL_RECHECK);
    }

    /** The external cluster must be whole and able to take learners before anything is asked of it. */
    Optional<String> precheck() {
        if (!obs.etcdReachable()) {
            return Optional.of("no endpoint of spec.bootstrap.join answered the member list");
        }
        List<ObservedMember> ours = obs.members().stream().filter(x -> x.ordinal() >= 0).toList();
        if (!ours.isEmpty()) {
            return Optional.of("the external cluster already has members with this cluster's peer URLs or member names ("
                    + ours.stream().map(ObservedMember::peerUrl).collect(Collectors.joining(", ")) + ")");
        }
        for (ObservedMember x : obs.members()) {
            if (!x.started()) {
                return Optional.of("external member " + Long.toHexString(x.id()) + " was added but never started");
            }
            if (x.learner()) {
                return Optional.of("external member " + x.name() + " is a learner: a membership change is in flight there");
            }
            if (!x.healthy()) {
                return Optional.of("external member " + x.name() + " (" + x.clientUrl() + ") is not healthy");
            }
            if (!supportsLearners(x.version())) {
                return Optional.of("external member " + x.name() + " runs etcd " + x.version() + "; learners need 3.4 or later");
            }
        }
        if (obs.alarms().contains(MembershipPlanner.NOSPACE)) {
            return Optional.of("the external cluster has a NOSPACE alarm: a new member would start over its quota too");
        }
        if (obs.members().size() + 1 > 9) {
            return Optional.of("the external cluster has " + obs.members().size() + " members; one more would exceed 9");
        }
        return Optional.empty();
    }

    static boolean supportsLearners(String version) {
        String[] parts = version.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 3 || major == 3 && minor >= 4;
        } catch (NumberFormatException unparsable) {
            return false;
        }
    }

    /** The steps, named after the members they touch; the ID changes whenever any of it would. */
    Migration plan() {
        return plan("");
    }

    /** A retry after a failure hashes the failed plan's ID in, so that the failed plan's approval never approves the retry. */
    Migration plan(String retryOf) {
        List<ObservedMember> external = obs.members().stream().sorted(Comparator.comparingLong(ObservedMember::id)).toList();
        List<String> steps = new ArrayList<>();
        steps.add("check: " + external.size() + " external members, all started, healthy, etcd >= 3.4, no alarm");
        for (int ordinal = 0; ordinal < in.desiredReplicas(); ordinal++) {
            steps.add("add " + in.peerUrlOf().apply(ordinal) + " as a learner (--initial-cluster-state existing), start its pod,"
                    + " promote it once etcd accepts, and wait until it is healthy");
        }
        if (m.podIpPeers()) {
            steps.add("peerAddressing PodIP: move each learner to http://<podIP>:2380 (member update) before its promotion, and any member"
                    + " whose pod comes back at a new IP; back to the DNS peer URLs once the external members are removed");
        }
        steps.add("switch StorageOS's kvBackend.address to this cluster's members (spec.storageos policy), if synced");
        if (m.removeExternal()) {
            steps.add("wait until every StorageOS node pod has started after the switch (they read the address only at start)");
            for (ObservedMember x : external) {
                steps.add("remove external member " + x.name() + " (" + Long.toHexString(x.id()) + "), moving leadership"
                        + " to a member of ours first if it leads; check health and quorum");
            }
        } else {
            steps.add("keep the external members (removeExternalMembers=false)");
        }
        steps.add("verify the member list; from then on an ordinary EtcdCluster");
        String id = Integer.toHexString((obs.clusterId() + "|" + String.join("|", steps) + (retryOf.isEmpty() ? "" : "|retry of " + retryOf))
                .hashCode());
        return new Migration(Migration.Phase.Proposed, id, steps, external.stream().map(ObservedMember::id).collect(Collectors.toSet()));
    }

    /** The ordinary scale-up, one learner at a time, while every voter (the external ones too) is healthy. */
    private Step join() {
        Optional<Step> unsafe = unsafe();
        if (unsafe.isPresent()) {
            return unsafe.get();
        }
        long ourVoters = obs.voters().stream().filter(x -> x.ordinal() >= 0).count();
        if (ourVoters < in.desiredReplicas()) {
            // A learner of ours without a journal (a member list read before its promotion showed) is finished, never
            // counted as missing: adding one more would give this cluster a member at an ordinal above spec.replicas.
            return MembershipPlanner.adoptStrayLearner(obs).or(() -> MembershipPlanner.scaleUp(in, obs)).orElseThrow();
        }
        return progress(Migration.Phase.SwitchingClients, ConditionReason.MigrationMembersJoined,
                ourVoters + " members of this cluster vote; switching StorageOS before any external member goes");
    }

    private Step switchClients() {
        if (!m.clientsSwitched()) {
            return new Step.Wait(ConditionReason.MigrationSwitchingStorageOS, "waiting for the StorageOSCluster's kvBackend.address to name only"
                    + " this cluster's members (see the StorageOSSynced condition); no external member is removed before", Pace.POD);
        }
        if (!m.removeExternal()) {
            return progress(Migration.Phase.Completed, ConditionReason.MigrationCompleted, "StorageOS's address names this cluster's members;"
                    + " the external members stay (removeExternalMembers=false), so a StorageOS node that still uses them keeps working");
        }
        // The switch time is the sync's write, not now: a node pod that StorageOS (re)started in between already reads the new address.
        Instant at = m.addressWrittenAt().orElse(obs.now());
        return new Step.MigrationProgress(m.recorded().orElseThrow().switched(at), ConditionReason.MigrationAwaitingStorageOSRestart,
                "StorageOS's address names this cluster's members since " + at + "; its node pods read it only when they start,"
                        + " so no external member is removed until every one of them started after that");
    }

    /** No external member goes while a StorageOS node still runs on the address it read before the switch. */
    private Step awaitStorageOSRestart() {
        Migration recorded = m.recorded().orElseThrow();
        Optional<String> restart = m.storageosNodes().flatMap(nodes -> nodes.restartNeeded(recorded.switchedAt()));
        if (restart.isPresent() && m.evictsStorageOSNodes() && m.storageosNodes().filter(n -> n.unreadable().isEmpty()
                && !n.pods().isEmpty()).isPresent()) {
            return StorageOSRollingRestart.next(recorded, m.storageosNodes().get(), obs.now());
        }
        if (restart.isPresent()) {
            return new Step.Wait(ConditionReason.MigrationAwaitingStorageOSRestart, "no external member is removed while a StorageOS"
                    + " node still uses it: " + restart.get(), STORAGEOS_RECHECK);
        }
        return progress(Migration.Phase.RemovingExternalMembers, ConditionReason.MigrationClientsSwitched, "every StorageOS node pod started"
                + " after the switch and uses this cluster's members; removing the external members one by one");
    }

    /** An external leader goes last, and only after leadership moved to a member of ours. */
    private Step removeExternal() {
        Set<Long> planned = m.recorded().orElseThrow().externalIds();
        Optional<ObservedMember> stranger = obs.members().stream().filter(x -> x.ordinal() < 0 && !planned.contains(x.id())).findFirst();
        if (stranger.isPresent()) {
            return new Step.Blocked(ConditionReason.MigrationUnexpectedMember, "member " + QuorumGuard.label(stranger.get()) + " ("
                    + stranger.get().peerUrl() + ") is neither this cluster's nor one of the external members of the plan;"
                    + " the operator removes no member it was not asked to");
        }
        Optional<ObservedMember> next = obs.members().stream().filter(x -> x.ordinal() < 0)
                .min(Comparator.comparing(ObservedMember::leader).thenComparingLong(ObservedMember::id));
        if (next.isEmpty() && obs.etcdReachable()) {
            return progress(Migration.Phase.Completed, ConditionReason.MigrationCompleted, "every external member is removed; the member list"
                    + " holds only this cluster's members");
        }
        Optional<Step> unsafe = unsafe();
        if (unsafe.isPresent()) {
            return unsafe.get();
        }
        ObservedMember member = next.orElseThrow();
        Optional<String> risk = QuorumGuard.canRemove(obs, member);
        if (risk.isPresent()) {
            return new Step.Wait(ConditionReason.QuorumAtRisk, risk.get(), Pace.POD);
        }
        if (member.leader()) {
            return obs.voters().stream().filter(x -> x.ordinal() >= 0 && x.healthy()).findFirst()
                    .<Step>map(to -> new Step.MoveLeader(member.id(), to.id()))
                    .orElseGet(() -> new Step.Wait(ConditionReason.QuorumAtRisk, "no healthy member of ours to take over leadership", Pace.POD));
        }
        return new Step.RemoveMember(Journal.start(Operation.RemoveExternal, Phase.RemoveRequested, -1, member.peerUrl(),
                member.id(), obs.now()));
    }

    /** A change starts only with quorum and every voter healthy; a failure stops here and leaves the membership as it is. */
    private Optional<Step> unsafe() {
        if (!obs.hasQuorum()) {
            return Optional.of(QuorumVerdict.of(obs).blocked("the migration stopped: " + obs.healthyVoters() + " of "
                    + obs.voters().size() + " voters are healthy; nothing is changed until quorum returns"));
        }
        return QuorumGuard.canStartChange(obs).map(why -> new Step.Wait(ConditionReason.MemberUnhealthy, "the migration waits: " + why, Pace.POD));
    }

    private Step progress(Migration.Phase next, ConditionReason reason, String message) {
        return new Step.MigrationProgress(m.recorded().orElseThrow().withPhase(next), reason, message);
    }
}

package com.storageos.etcd.membership;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether quorum holds, as the members see it, not only as the operator reaches them. The operator proves quorum by
 * completing linearizable reads through a majority ({@link ClusterObservation#hasQuorum}); failing that proves only
 * that it cannot reach them (a partition between it and the members, a slow disk). Quorum counts as lost only when two
 * witnesses that do not depend on the operator's network agree:
 * <ul>
 *     <li>every voter that answers its status call (etcd serves it from local raft state, without quorum) names no
 *     leader: a member without a quorum stops naming one within an election timeout, as a candidate whose term keeps
 *     rising or as a leader that stepped down for want of a quorum;</li>
 *     <li>fewer voter pods than a quorum are Ready: their readiness probe, run next to them by the kubelet, needs a
 *     leader and a quorum read.</li>
 * </ul>
 * Anything else is {@link State#UNCONFIRMED}: no recovery is offered or accepted, and nothing is changed.
 *
 * @param unreachable the voters (names, or hex IDs) that did not answer the operator, or the member pods when etcd's
 *                    member list could not be read at all
 * @param evidence    what the members and pods said, for the condition's message
 */
public record QuorumVerdict(State state, List<String> unreachable, String evidence) {
    public enum State { HOLDS, LOST, UNCONFIRMED }

    public static QuorumVerdict of(ClusterObservation obs) {
        if (obs.hasQuorum()) {
            return new QuorumVerdict(State.HOLDS, List.of(), obs.healthyVoters() + " of " + obs.voters().size() + " voters healthy");
        }
        if (!obs.etcdReachable()) {
            return withoutMemberList(obs);
        }
        List<ObservedMember> voters = obs.voters();
        List<ObservedMember> answering = voters.stream().filter(ObservedMember::answeredStatus).toList();
        List<String> unreachable = voters.stream().filter(m -> !m.answeredStatus()).map(QuorumGuard::label).toList();
        List<String> naming = answering.stream().filter(m -> m.reportedLeader() != 0)
                .map(m -> QuorumGuard.label(m) + " names leader " + leaderName(obs, m.reportedLeader()) + " (term " + m.raftTerm() + ")")
                .toList();
        // A voter the operator did not create (an external member during a migration) has no pod to ask: it may serve.
        long serving = voters.stream().filter(m -> m.ordinal() < 0 ? !m.answeredStatus() : readyPod(obs, m.ordinal())).count();
        int quorum = QuorumMath.quorum(voters.size());
        String members = answering.isEmpty() ? "no voter answers its status call"
                : naming.isEmpty() ? answering.stream().map(QuorumGuard::label).collect(Collectors.joining(", ")) + " name no leader"
                : String.join(", ", naming);
        String evidence = members + "; " + serving + " of " + voters.size() + " voter pods Ready (quorum is " + quorum + ")";
        boolean lost = naming.isEmpty() && serving < quorum;
        return new QuorumVerdict(lost ? State.LOST : State.UNCONFIRMED, unreachable, evidence);
    }

    /** No member answered the member list: only the pods can speak, and any Ready one says a quorum read passed. */
    private static QuorumVerdict withoutMemberList(ClusterObservation obs) {
        List<PodState> pods = obs.pods().values().stream().filter(p -> !p.terminating()).toList();
        long ready = pods.stream().filter(PodState::ready).count();
        List<String> unreachable = pods.stream().map(p -> "member " + p.ordinal()).sorted().toList();
        String evidence = "no member answers the operator; " + ready + " of " + pods.size() + " member pods Ready";
        return new QuorumVerdict(ready == 0 ? State.LOST : State.UNCONFIRMED, ready == 0 ? List.of() : unreachable, evidence);
    }

    private static boolean readyPod(ClusterObservation obs, int ordinal) {
        return obs.pod(ordinal).filter(p -> p.ready() && !p.terminating()).isPresent();
    }

    private static String leaderName(ClusterObservation obs, long id) {
        return obs.member(id).map(QuorumGuard::label).orElse(Long.toHexString(id));
    }

    public boolean lost() {
        return state == State.LOST;
    }

    /**
     * The reason a step blocked for want of quorum carries: QuorumLost only when the members agree; MembersUnreachable
     * when the operator could not hear every voter; QuorumUnconfirmed when it heard them all and they still disagree.
     */
    public ConditionReason reason() {
        return switch (state) {
            case HOLDS -> ConditionReason.QuorumHealthy;
            case LOST -> ConditionReason.QuorumLost;
            case UNCONFIRMED -> unreachable.isEmpty() ? ConditionReason.QuorumUnconfirmed : ConditionReason.MembersUnreachable;
        };
    }

    /** One sentence for a condition or a refusal. */
    public String describe() {
        return switch (state) {
            case HOLDS -> "quorum holds (" + evidence + ")";
            case LOST -> "quorum is lost: " + evidence;
            case UNCONFIRMED -> (unreachable.isEmpty() ? "the operator cannot confirm that quorum is lost"
                    : "the operator cannot reach " + String.join(", ", unreachable) + ", so it cannot tell whether quorum holds")
                    + ": " + evidence + ". Quorum counts as lost only when the members that answer name no leader and fewer"
                    + " voter pods than a quorum are Ready";
        };
    }

    /**
     * Looked at before each destructive step of a recovery that is under way: empty when it may go on (quorum is still
     * lost, or it was forced). Quorum back: the recovery is aborted, with nothing more touched. Unconfirmed: it waits.
     */
    public Optional<Step> beforeRecoveryStep(Journal journal, String recovery) {
        if (lost() || journal.forced()) {
            return Optional.empty();
        }
        if (state == State.HOLDS) {
            return Optional.of(new Step.AbortRecovery("quorum came back before the " + recovery + "'s next step ("
                    + evidence + "), and it was not forced: it stops here and nothing more is touched. A member whose data was"
                    + " already moved aside (never deleted) is replaced as a member that lost its data"));
        }
        return Optional.of(blocked("the " + recovery + " waits before its next step"));
    }

    /** The step while the operator cannot act for want of quorum: nothing is changed, and it says why in the members' words. */
    public Step.Blocked blocked(String what) {
        return new Step.Blocked(reason(), lost() ? what : what + "; " + describe());
    }
}

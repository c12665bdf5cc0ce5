package com.storageos.etcd.desired;

import com.storageos.etcd.membership.ObservedMember;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodReadinessGateBuilder;
import java.util.List;
import java.util.Optional;

/**
 * The member pods' readiness gate: a pod is Ready only while its member is a started voter.
 * etcd's own health endpoints answer true on a learner (3.4.23 does so even while the learner is
 * still applying its snapshot), so the readiness probe alone would put learners behind the client
 * Service, which refuses StorageOS's writes and linearizable reads there. The kubelet computes
 * Ready as containers ready AND every gate's condition True, so the client Service, the disruption
 * budget and {@code kubectl wait} all leave learners out; the operator writes the condition.
 */
public final class VoterGate {
    public static final String CONDITION = "etcd.storageos.com/voter";

    /** What the gate's condition should say for one pod. */
    public record Verdict(boolean open, String reason, String message) {
    }

    private VoterGate() {
    }

    public static PodReadinessGate readinessGate() {
        return new PodReadinessGateBuilder().withConditionType(CONDITION).build();
    }

    /** From etcd's member list; only asked when the list could be read, so a blind operator changes no gate. */
    public static Verdict forOrdinal(List<ObservedMember> members, int ordinal) {
        Optional<ObservedMember> member = members.stream().filter(m -> m.ordinal() == ordinal).findFirst();
        if (member.isEmpty()) {
            return new Verdict(false, "NotMember", "no etcd member has this pod's peer URL");
        }
        ObservedMember m = member.get();
        if (m.learner()) {
            return new Verdict(false, "Learner", "member " + Long.toHexString(m.id())
                    + " is a learner: it refuses client writes and linearizable reads until it is promoted");
        }
        if (!m.started()) {
            return new Verdict(false, "VoterNotStarted", "member " + Long.toHexString(m.id()) + " is a voter that has not joined yet");
        }
        return new Verdict(true, "Voter", "member " + m.name() + " is a voter");
    }
}

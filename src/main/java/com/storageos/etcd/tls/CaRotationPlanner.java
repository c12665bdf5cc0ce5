package com.storageos.etcd.tls;

import java.util.List;
import java.util.Optional;

/**
 * The stages of replacing a cluster's generated CA without an outage, as a pure function of what was recorded and what
 * is observed. etcd reads its trusted CAs only at start, and a member refuses a peer or client whose CA it does not
 * trust, so the new CA must be trusted everywhere before anything presents a certificate from it, and the old CA may
 * leave a trust file only once nothing presents one from it any more:
 * <ol>
 *   <li>{@link Phase#Bundling}: every trust file holds old and new; leaves stay from the old CA; the trust-bundle digest
 *       rolls the members. Done when every member pod runs with that bundle.</li>
 *   <li>{@link Phase#Reissuing}: every leaf is reissued from the new CA (etcd serves a renewed file without a restart).
 *       Done only when every member was SEEN serving a new-CA certificate on both ports: the kubelet rewrites a Secret
 *       volume some time after the Secret changed.</li>
 *   <li>{@link Phase#Dropping}: the new CA becomes the only one (its old key is deleted) and leaves every trust file; the
 *       members roll again. Done when every member pod runs with the new CA alone.</li>
 * </ol>
 * The phase is recorded before its stage acts, and every act of a stage is idempotent, so a restart at any point
 * resumes the recorded stage.
 */
public final class CaRotationPlanner {
    public enum Phase { Bundling, Reissuing, Dropping, Completed }

    /** What started a rotation. */
    public enum Trigger { Request, Renewal }

    /**
     * @param recorded                the phase in the status; null when no rotation ever started
     * @param servedRequest           the last rotate-ca annotation value served, or null
     * @param requested               the rotate-ca annotation value now, or null
     * @param caRenewalDue            the current CA has reached its renewAfter
     * @param nextCaPresent           the new CA and its key are in the CA Secret
     * @param membersRunPhaseTrust    every member pod is Ready and runs with the trust bundle of the recorded phase
     * @param membersServeNextCa      every member was seen serving a certificate of the new CA on its client and peer ports
     */
    public record Input(Phase recorded, String servedRequest, String requested, boolean caRenewalDue, boolean nextCaPresent,
                        boolean membersRunPhaseTrust, boolean membersServeNextCa) { }

    /** The phase to record now; {@code trigger} and {@code request} are those of the rotation it belongs to. */
    public record Transition(Phase to, Trigger trigger, String request, String message) { }

    private CaRotationPlanner() {
    }

    /** The next phase to record, or empty to stay in the recorded one. */
    public static Optional<Transition> next(Input in, Trigger trigger) {
        Phase phase = in.recorded() == null ? Phase.Completed : in.recorded();
        return switch (phase) {
            case Completed -> {
                if (in.requested() != null && !in.requested().isBlank() && !in.requested().equals(in.servedRequest())) {
                    yield Optional.of(new Transition(Phase.Bundling, Trigger.Request, in.requested(),
                            "rotation requested (" + in.requested() + "): every trust file gets the new CA beside the old one"));
                }
                yield in.caRenewalDue()
                        ? Optional.of(new Transition(Phase.Bundling, Trigger.Renewal, in.servedRequest(),
                                "the CA reached its renewAfter: every trust file gets the new CA beside the old one"))
                        : Optional.empty();
            }
            case Bundling -> in.nextCaPresent() && in.membersRunPhaseTrust()
                    ? Optional.of(new Transition(Phase.Reissuing, trigger, in.servedRequest(),
                            "every member trusts the old and the new CA: reissuing every certificate from the new CA"))
                    : Optional.empty();
            case Reissuing -> {
                if (!in.nextCaPresent()) {
                    // The new CA's key is gone (the CA Secret was edited): nothing may be signed by a CA that is not trusted yet.
                    yield Optional.of(new Transition(Phase.Bundling, trigger, in.servedRequest(),
                            "the new CA is missing from the CA Secret: starting the bundle again with a fresh one"));
                }
                yield in.membersServeNextCa()
                        ? Optional.of(new Transition(Phase.Dropping, trigger, in.servedRequest(),
                                "every member serves a certificate of the new CA on both ports: dropping the old CA"))
                        : Optional.empty();
            }
            case Dropping -> in.membersRunPhaseTrust()
                    ? Optional.of(new Transition(Phase.Completed, trigger, in.servedRequest(),
                            "every member trusts the new CA alone; the old CA and its key are gone"))
                    : Optional.empty();
        };
    }

    /** Which CAs each trust file holds in {@code phase}; {@code next} is null once promoted or before it exists. */
    public static List<CertificateAuthority> trusted(Phase phase, CertificateAuthority current, CertificateAuthority next) {
        if (next == null) {
            return List.of(current);
        }
        return switch (phase) {
            case Bundling, Reissuing -> List.of(current, next);
            case Dropping -> List.of(next);
            case Completed -> List.of(current);
        };
    }

    /** Which CA signs leaves in {@code phase}: the old one until every member trusts the new one. */
    public static CertificateAuthority signer(Phase phase, CertificateAuthority current, CertificateAuthority next) {
        return next != null && (phase == Phase.Reissuing || phase == Phase.Dropping) ? next : current;
    }
}

package com.storageos.etcd.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.tls.CaRotationPlanner.Input;
import com.storageos.etcd.tls.CaRotationPlanner.Phase;
import com.storageos.etcd.tls.CaRotationPlanner.Transition;
import com.storageos.etcd.tls.CaRotationPlanner.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each stage of a CA rotation, and what an operator that restarts at each point does: the recorded phase alone decides,
 * so a crash between recording a phase and acting on it, or in the middle of its acts, resumes the same stage.
 */
class CaRotationPlannerTest {
    private static final CertificateAuthority OLD = CertificateAuthority.create("old", Instant.now(), Duration.ofDays(10));
    private static final CertificateAuthority NEW = CertificateAuthority.create("new", Instant.now(), Duration.ofDays(10));

    private static Optional<Transition> next(Phase recorded, String served, String requested, boolean due, boolean nextPresent,
                                             boolean membersRun, boolean serving) {
        return CaRotationPlanner.next(new Input(recorded, served, requested, due, nextPresent, membersRun, serving), Trigger.Request);
    }

    @Test
    void aNewAnnotationValueStartsABundleOnceAndOnlyOnce() {
        assertThat(next(null, null, null, false, false, true, false)).as("no request, CA not due").isEmpty();
        assertThat(next(null, null, "1", false, false, true, false)).hasValueSatisfying(t -> {
            assertThat(t.to()).isEqualTo(Phase.Bundling);
            assertThat(t.trigger()).isEqualTo(Trigger.Request);
            assertThat(t.request()).isEqualTo("1");
        });
        assertThat(next(Phase.Completed, "1", "1", false, false, true, false)).as("the value served already").isEmpty();
        assertThat(next(Phase.Completed, "1", "2", false, false, true, false)).map(Transition::to).hasValue(Phase.Bundling);
    }

    @Test
    void theCaReachingItsRenewAfterStartsARotationThatKeepsTheLastServedRequest() {
        assertThat(next(Phase.Completed, "1", "1", true, false, true, false)).hasValueSatisfying(t -> {
            assertThat(t.to()).isEqualTo(Phase.Bundling);
            assertThat(t.trigger()).isEqualTo(Trigger.Renewal);
            assertThat(t.request()).as("so that the old annotation is not served again afterwards").isEqualTo("1");
        });
    }

    @Test
    void bundlingWaitsForTheNewCaAndForEveryMemberToRunWithTheBundle() {
        // Crash after recording Bundling, before the new CA was written: the next pass writes it and waits.
        assertThat(next(Phase.Bundling, "1", "1", false, false, false, false)).isEmpty();
        assertThat(next(Phase.Bundling, "1", "1", false, false, true, false)).as("no new CA yet, whatever the pods say").isEmpty();
        assertThat(next(Phase.Bundling, "1", "1", false, true, false, false)).as("mid-roll").isEmpty();
        assertThat(next(Phase.Bundling, "1", "2", false, true, false, false)).as("a new request waits for this rotation").isEmpty();
        assertThat(next(Phase.Bundling, "1", "1", false, true, true, false)).map(Transition::to).hasValue(Phase.Reissuing);
    }

    @Test
    void reissuingEndsOnlyWhenEveryMemberIsSeenServingTheNewCa() {
        assertThat(next(Phase.Reissuing, "1", "1", false, true, true, false)).as("Secrets reissued, volumes not yet refreshed").isEmpty();
        assertThat(next(Phase.Reissuing, "1", "1", false, true, true, true)).map(Transition::to).hasValue(Phase.Dropping);
        assertThat(next(Phase.Reissuing, "1", "1", false, false, true, true)).as("the new CA lost from the CA Secret")
                .map(Transition::to).hasValue(Phase.Bundling);
    }

    @Test
    void droppingCompletesOnceEveryMemberRunsWithTheNewCaAlone() {
        // Crash after recording Dropping, before or after the promotion: the same pass finishes it and waits for the roll.
        assertThat(next(Phase.Dropping, "1", "1", false, true, false, true)).isEmpty();
        assertThat(next(Phase.Dropping, "1", "1", false, false, false, false)).as("promoted, mid-roll").isEmpty();
        assertThat(next(Phase.Dropping, "1", "1", false, false, true, false)).map(Transition::to).hasValue(Phase.Completed);
        assertThat(next(Phase.Completed, "1", "1", false, false, true, false)).as("done, nothing more").isEmpty();
    }

    @Test
    void eachPhaseSaysWhoSignsAndWhatEveryTrustFileHolds() {
        assertThat(CaRotationPlanner.trusted(Phase.Completed, OLD, null)).containsExactly(OLD);
        assertThat(CaRotationPlanner.signer(Phase.Completed, OLD, null)).isSameAs(OLD);
        assertThat(CaRotationPlanner.trusted(Phase.Bundling, OLD, NEW)).containsExactly(OLD, NEW);
        assertThat(CaRotationPlanner.signer(Phase.Bundling, OLD, NEW)).as("nobody trusts the new one yet").isSameAs(OLD);
        assertThat(CaRotationPlanner.trusted(Phase.Reissuing, OLD, NEW)).containsExactly(OLD, NEW);
        assertThat(CaRotationPlanner.signer(Phase.Reissuing, OLD, NEW)).isSameAs(NEW);
        assertThat(CaRotationPlanner.trusted(Phase.Dropping, OLD, NEW)).as("before the promotion").containsExactly(NEW);
        assertThat(CaRotationPlanner.signer(Phase.Dropping, OLD, NEW)).isSameAs(NEW);
        assertThat(CaRotationPlanner.trusted(Phase.Dropping, NEW, null)).as("after it").isEqualTo(List.of(NEW));
        assertThat(CaRotationPlanner.signer(Phase.Dropping, NEW, null)).isSameAs(NEW);
        assertThat(CaRotationPlanner.trusted(Phase.Bundling, OLD, null)).as("Bundling before the new CA exists").containsExactly(OLD);
    }

    @Test
    void aCaKnowsTheLeavesItSigned() {
        IssuedCertificate leaf = NEW.issue(CertificateRequest.clientOnly("x", Duration.ofDays(1)), Instant.now(), NEW.certificatePem());
        assertThat(NEW.signed(Pem.certificates(leaf.certificatePem()).get(0))).isTrue();
        assertThat(OLD.signed(Pem.certificates(leaf.certificatePem()).get(0))).isFalse();
    }
}

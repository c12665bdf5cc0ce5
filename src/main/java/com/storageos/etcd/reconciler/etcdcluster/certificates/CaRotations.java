package com.storageos.etcd.reconciler.etcdcluster.certificates;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.CaRotationStatus;
import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.desired.CaRotationRequest;
import com.storageos.etcd.desired.MemberStatefulSet;
import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.etcdclient.ServedCertificate;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalConflict;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournaledStatus;
import com.storageos.etcd.reconciler.etcdcluster.members.MemberUrls;
import com.storageos.etcd.reconciler.etcdcluster.pods.PodReading;
import com.storageos.etcd.status.Conditions;
import com.storageos.etcd.tls.CaRotationPlanner;
import com.storageos.etcd.tls.CaRotationPlanner.Phase;
import com.storageos.etcd.tls.CaRotationPlanner.Trigger;
import com.storageos.etcd.tls.CertificateAuthority;
import com.storageos.etcd.tls.RenewalPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * The I/O around {@link CaRotationPlanner}: reads what it needs (the annotation, the member pods' trust digest, and during
 * Reissuing the certificate each member serves on each port), records the next phase in status.tls.caRotation with an
 * Event, and leaves the acts of that phase to {@link ClusterCertificates} on the next reconcile.
 */
public final class CaRotations {
    private static final Logger LOG = Logger.getLogger(CaRotations.class);
    private static final Duration HANDSHAKE = Duration.ofSeconds(2);
    private final RenewalPolicy policy;
    private final ClusterEvents events;
    private final Clock clock;

    public CaRotations(RenewalPolicy policy, ClusterEvents events, Clock clock) {
        this.policy = policy;
        this.events = events;
        this.clock = clock;
    }

    public static CaRotationStatus recorded(EtcdCluster cluster) {
        EtcdClusterStatus status = cluster.getStatus();
        return status == null || status.getTls() == null ? null : status.getTls().getCaRotation();
    }

    public static Phase phase(CaRotationStatus rotation) {
        return rotation == null || rotation.getPhase() == null ? Phase.Completed : Phase.valueOf(rotation.getPhase());
    }

    /**
     * Records the next phase when its stage is done, and puts it in {@code tls.status()}; returns whether it moved.
     * Throws {@link JournalConflict} when someone else wrote the cluster meanwhile: nothing was recorded.
     */
    public boolean advance(EtcdCluster cluster, JournaledStatus status, ClusterCertificates.Outcome tls,
                                       List<Pod> pods, MemberUrls urls) {
        if (tls.authorities() == null || !tls.usable()) {
            return false;
        }
        CaRotationStatus rotation = recorded(cluster);
        Phase phase = phase(rotation);
        CertificateAuthority current = tls.authorities().current();
        CertificateAuthority next = tls.authorities().next();
        Instant now = clock.instant();
        CaRotationPlanner.Input input = new CaRotationPlanner.Input(rotation == null ? null : phase,
                rotation == null ? null : rotation.getRequest(), CaRotationRequest.value(cluster),
                policy.due(current.certificate(), now), next != null, membersRun(cluster, pods, tls.trustBundleHash()),
                phase == Phase.Reissuing && next != null && everyMemberServes(cluster, next, urls, tls));
        Trigger trigger = rotation == null || rotation.getTrigger() == null ? Trigger.Request : Trigger.valueOf(rotation.getTrigger());
        Optional<CaRotationPlanner.Transition> transition = CaRotationPlanner.next(input, trigger);
        if (transition.isEmpty()) {
            return false;
        }
        CaRotationPlanner.Transition t = transition.get();
        boolean starts = phase == Phase.Completed;
        CaRotationStatus written = new CaRotationStatus(t.to().name(), t.trigger().name(), t.request(),
                starts ? now.toString() : rotation.getStartedAt(), t.to() == Phase.Completed ? now.toString() : null,
                t.to() == Phase.Completed ? current.fingerprint() : next != null ? next.fingerprint() : null);
        status.recordCaRotation(written);
        events.normal(cluster, reason(t.to()).name(), t.message());
        LOG.infof("%s/%s: CA rotation %s: %s", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(), t.to(), t.message());
        tls.status().setCaRotation(written);
        return true;
    }

    /** Every member pod spec.replicas asks for is Ready, not going away, and runs with the trust digest the Secrets now give. */
    private static boolean membersRun(EtcdCluster cluster, List<Pod> pods, String trustHash) {
        List<Pod> members = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
        return trustHash != null && members.size() == cluster.getSpec().getReplicas() && members.stream().allMatch(p ->
                trustHash.equals(Optional.ofNullable(p.getMetadata().getAnnotations()).orElse(Map.of()).get(MemberStatefulSet.TRUST_BUNDLE_ANNOTATION))
                        && PodReading.ready(p));
    }

    private static boolean everyMemberServes(EtcdCluster cluster, CertificateAuthority next, MemberUrls urls, ClusterCertificates.Outcome tls) {
        TlsLayout layout = TlsLayout.of(cluster);
        List<String> waiting = new ArrayList<>();
        IntStream.range(0, cluster.getSpec().getReplicas()).forEach(i -> {
            List<String> ports = new ArrayList<>();
            if (layout.client()) {
                ports.add(urls.clientUrl(i));
            }
            if (layout.peer()) {
                ports.add(urls.peerUrl(i));
            }
            ports.stream().filter(url -> !ServedCertificate.at(url, tls.operatorTls(), HANDSHAKE).map(next::signed).orElse(false))
                    .forEach(waiting::add);
        });
        if (!waiting.isEmpty()) {
            LOG.debugf("%s: not yet serving a certificate of the new CA: %s", cluster.getMetadata().getName(), waiting);
        }
        return waiting.isEmpty();
    }

    /** The CaRotating condition of a rotation: True while one is under way, False once the last one completed. */
    public static void condition(Conditions conditions, EtcdClusterStatus s, Long generation) {
        CaRotationStatus rotation = s.getTls() == null ? null : s.getTls().getCaRotation();
        if (rotation == null || rotation.getPhase() == null) {
            return;
        }
        Phase phase = Phase.valueOf(rotation.getPhase());
        String message = switch (phase) {
            case Bundling -> "every trust file holds the old and the new CA; the members restart one at a time to trust both";
            case Reissuing -> "every certificate is reissued from the new CA; waiting to see every member serve one on both ports";
            case Dropping -> "the old CA leaves every trust file and its key is deleted; the members restart one at a time";
            case Completed -> "the CA was replaced (" + rotation.getTrigger() + ") at " + rotation.getCompletedAt();
        };
        s.setConditions(conditions.upsert(s.getConditions(), Conditions.CA_ROTATING, phase != Phase.Completed, reason(phase), message, generation));
    }

    private static ConditionReason reason(Phase phase) {
        return switch (phase) {
            case Bundling -> ConditionReason.CaRotationBundling;
            case Reissuing -> ConditionReason.CaRotationReissuing;
            case Dropping -> ConditionReason.CaRotationDropping;
            case Completed -> ConditionReason.CaRotationCompleted;
        };
    }
}

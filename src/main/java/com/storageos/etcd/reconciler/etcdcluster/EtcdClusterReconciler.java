package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.api.v1alpha1.status.TlsStatus;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.clusterstatus.ClusterStatusWriter;
import com.storageos.etcd.config.OperatorConfig;
import com.storageos.etcd.desired.ClientService;
import com.storageos.etcd.desired.MemberAccess;
import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.reconciler.ClusterDeletion;
import com.storageos.etcd.tls.RenewalPolicy;
import com.storageos.etcd.desired.MemberStatefulSet;
import com.storageos.etcd.desired.PauseRequest;
import com.storageos.etcd.desired.PeerService;
import com.storageos.etcd.desired.QuorumDisruptionBudget;
import com.storageos.etcd.desired.RecoveryAnnotation;
import com.storageos.etcd.desired.RenderSettings;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminFactory;
import com.storageos.etcd.etcdclient.MetricsPeerRoundTrips;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.MembershipPlanner;
import com.storageos.etcd.membership.MigrationInput;
import com.storageos.etcd.membership.PlanInput;
import com.storageos.etcd.membership.RecordedMembership;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.status.ConditionTransitions;
import com.storageos.etcd.status.Conditions;
import com.storageos.etcd.status.PendingChanges;
import com.storageos.etcd.status.RecordedMembers;
import com.storageos.etcd.status.StatusComputer;
import com.storageos.etcd.status.StatusInput;
import com.storageos.etcd.metrics.BackupMetrics;
import com.storageos.etcd.metrics.CertificateMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Each reconcile: ensure the static objects, observe, plan exactly one step, record it, act,
 * apply the StatefulSet and budget, write the status. The membership logic itself lives in the
 * pure {@link MembershipPlanner}; this class only does I/O around it.
 */
// Not generation-aware: annotations carry requests (backup-now, recovery, pause) and must wake a reconcile too.
@ControllerConfiguration(name = "etcdcluster", generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = SpecOrRequestChanged.class))
public class EtcdClusterReconciler implements Reconciler<EtcdCluster>, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EtcdClusterReconciler.class);
    static final Duration PAUSED_RECHECK = Duration.ofSeconds(5);
    static final Duration ALARM_RECHECK = Duration.ofSeconds(5);
    /** Secrets are not watched (a user's carry none of our labels): a certificate being issued or fixed is looked for this often. */
    static final Duration TLS_RECHECK = Duration.ofSeconds(5);
    private final KubernetesClient client;
    private final RenderSettings settings;
    private final Clock clock;
    private final Duration learnerDeadline;
    private final EtcdAdminPool pool;
    private final ObservationCollector collector;
    private final DesiredStateApplier applier;
    private final ClusterEvents events;
    private final MembershipPlanner planner = new MembershipPlanner();
    private final StatusComputer statusComputer;
    private final ToolWorkloads tools;
    private final StorageChanges storage;
    private final BackupMetrics metrics;
    private final CertificateMetrics certificateMetrics;
    private final StepBackoff backoff = new StepBackoff();
    private final VoterGateWriter gates;
    private final ClusterCertificates certificates;
    private final OwnedObjectCaches caches = new OwnedObjectCaches();
    private final CaRotations rotations;
    private final PeerProbeReader peerProbes = new PeerProbeReader(new MetricsPeerRoundTrips(Duration.ofSeconds(1)));

    @Inject
    public EtcdClusterReconciler(KubernetesClient client, RenderSettings settings, EtcdAdminFactory factory, Clock clock,
                                 OperatorConfig config, MeterRegistry registry) {
        this(client, settings, factory, clock, config.learnerDeadline(), registry);
    }

    public EtcdClusterReconciler(KubernetesClient client, RenderSettings settings, EtcdAdminFactory factory, Clock clock, Duration learnerDeadline) {
        this(client, settings, factory, clock, learnerDeadline, new SimpleMeterRegistry());
    }

    public EtcdClusterReconciler(KubernetesClient client, RenderSettings settings, EtcdAdminFactory factory, Clock clock,
                                 Duration learnerDeadline, MeterRegistry registry) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.learnerDeadline = learnerDeadline;
        this.pool = new EtcdAdminPool(factory, clock);
        this.collector = new ObservationCollector(client, caches, clock);
        this.applier = new DesiredStateApplier(client, caches);
        this.events = new ClusterEvents(client, clock);
        this.statusComputer = new StatusComputer(new Conditions(clock));
        this.tools = new ToolWorkloads(client, caches, applier, settings, events);
        this.storage = new StorageChanges(client, caches);
        this.metrics = new BackupMetrics(registry);
        this.certificateMetrics = new CertificateMetrics(registry);
        this.gates = new VoterGateWriter(client, clock);
        this.certificates = new ClusterCertificates(client, settings.addressing(), RenewalPolicy.DEFAULT, clock);
        this.rotations = new CaRotations(RenewalPolicy.DEFAULT, events, clock);
    }

    @Override
    public List<EventSource<?, EtcdCluster>> prepareEventSources(EventSourceContext<EtcdCluster> context) {
        List<EventSource<?, EtcdCluster>> sources = new java.util.ArrayList<>(caches.create(context));
        // Gauges are the only thing of a deleted cluster that owner references cannot remove.
        sources.add(new ClusterDeletion("deleted-cluster-metrics", c -> {
            metrics.forget(c.getMetadata().getNamespace(), c.getMetadata().getName());
            certificateMetrics.forget(c.getMetadata().getNamespace(), c.getMetadata().getName());
        }));
        return sources;
    }

    @Override
    public UpdateControl<EtcdCluster> reconcile(EtcdCluster cluster, Context<EtcdCluster> context) {
        ClusterNames names = new ClusterNames(cluster.getMetadata().getName(), cluster.getMetadata().getNamespace());
        JournaledStatus status = new JournaledStatus(cluster, names, new ClusterStatusWriter(client,
                (stored, previous) -> context.eventSourceRetriever().getControllerEventSource()
                        .handleRecentResourceUpdate(ResourceID.fromResource(stored), stored, previous)));
        if (PauseRequest.paused(cluster)) {
            status.modify(s -> statusComputer.paused(cluster.getMetadata().getGeneration(), s));
            // Unpausing wakes a reconcile (annotations do); the recheck is a safety net for a missed event.
            return UpdateControl.<EtcdCluster>noUpdate().rescheduleAfter(PAUSED_RECHECK);
        }
        ClusterCertificates.Outcome tls = certificates.ensure(cluster, CaRotations.recorded(cluster));
        certificateMetrics.update(names.namespace(), names.cluster(), tls.status());
        if (!tls.usable()) {
            // No pod may start on certificates etcd would refuse or serve wrongly: nothing else is touched.
            return refuse(cluster, status, ConditionReason.TlsNotUsable, String.join("; ", tls.problems()), tls.status());
        }
        Optional<MigrationInput> migration = MigrationInputs.read(client, cluster, names, settings.addressing());
        JoinCertificate.Outcome join = JoinCertificate.read(client, cluster, migration, clock.instant());
        if (!join.usable()) {
            // No call reaches the external cluster with a certificate it would refuse: nothing is touched.
            return refuse(cluster, status, ConditionReason.MigrationTlsNotUsable, String.join("; ", join.problems()) + "; nothing was changed",
                    tls.status());
        }
        String applyError = applyAll(() -> List.of(MemberAccess.serviceAccount(cluster), MemberAccess.role(cluster),
                MemberAccess.roleBinding(cluster), PeerService.build(cluster), ClientService.build(cluster)).forEach(applier::apply));
        TlsLayout layout = TlsLayout.of(cluster);
        MemberUrls urls = new MemberUrls(names, settings.addressing(), layout.peer(), layout.client());
        ClusterConnection connection = ClusterConnection.of(cluster, urls, tls.operatorTls(), migration, join.tls());
        EtcdAdmin admin = pool.forCluster(cluster.getMetadata().getUid(), connection.endpoints(), connection.credentials());
        ObservationCollector.Observed observed = collector.observe(cluster, names, urls, admin);
        ClusterObservation obs = observed.observation();
        gates.write(observed.pods(), names, obs);
        var journal = PendingChanges.read(cluster.getStatus() == null ? null : cluster.getStatus().getPendingChange());
        migration = migration.map(m -> m.joining() ? m.withPeerProbes(peerProbes.read(obs, journal, connection.credentials())) : m);
        boolean formed = cluster.getStatus() != null && cluster.getStatus().getClusterId() != null;
        RecordedMembership recorded = RecordedMembers.read(cluster.getStatus(), urls::ordinalOfPeerUrl);
        int recordedPods = recorded.podCount(journal);
        Step step = planner.next(new PlanInput(cluster.getSpec().getReplicas(), obs, journal, formed, urls::peerUrl, learnerDeadline,
                recordedPods, RecoveryAnnotation.pending(cluster), migration));
        StepResult result;
        try {
            result = new StepExecutor(admin, status, new KubernetesClusterOperations(client, names), events, cluster, names, clock)
                    .execute(step);
        } catch (JournalConflict e) {
            // Someone wrote the cluster since we read it (another operator in a leader-election overlap, a status writer):
            // nothing was recorded or done. Plan again from what they wrote.
            LOG.infof("%s", e.getMessage());
            return UpdateControl.<EtcdCluster>noUpdate().rescheduleAfter(StepExecutor.FAST);
        }
        boolean rotated;
        try { // recorded now, acted on by the next reconcile's certificates: each stage is on the status before its first act
            rotated = rotations.advance(status.current(), status, tls, observed.pods(), urls);
        } catch (JournalConflict e) {
            LOG.infof("%s", e.getMessage());
            return UpdateControl.<EtcdCluster>noUpdate().rescheduleAfter(StepExecutor.FAST);
        }
        // Never what the StatefulSet says: a hand-made kubectl scale sts is undone, even while quorum is lost.
        int replicas = result.statefulSetReplicas().orElse(recordedPods);
        String workloadError = applyAll(() -> {
            applier.apply(StorageChanges.keepClaimTemplates(MemberStatefulSet.build(cluster, replicas, settings, tls.trustBundleHash()), observed.statefulSet()));
            storage.growClaims(names, cluster.getSpec().getStorage(), replicas);
            applier.apply(QuorumDisruptionBudget.build(cluster, recorded.voters(obs)));
            tools.reconcile(cluster, names, Math.max(replicas, obs.memberPodCount()));
        });
        String error = result.error() != null ? result.error() : workloadError != null ? workloadError : applyError;
        String uid = cluster.getMetadata().getUid();
        Duration pace = error == null ? result.requeueAfter() : backoff.failed(uid);
        if (error == null) {
            backoff.succeeded(uid);
        }
        metrics.update(cluster);
        StatusInput input = new StatusInput(names.cluster(), cluster.getSpec().getReplicas(), cluster.getMetadata().getGeneration(), obs, step,
                result.failure(), error, Labels.selectorString(Labels.memberSelector(names.cluster())));
        var before = status.current().getStatus() == null ? List.<io.fabric8.kubernetes.api.model.Condition>of()
                : List.copyOf(status.current().getStatus().getConditions());
        status.modify(s -> {
            statusComputer.apply(input, s);
            s.setTls(tls.status());
            CaRotations.condition(new Conditions(clock), s, cluster.getMetadata().getGeneration());
        });
        ConditionTransitions.between(before, status.current().getStatus().getConditions())
                .forEach(n -> events.emit(cluster, n.normal(), n.reason(), n.message()));
        // The spec changed while this reconcile ran (say a kubectl scale): the status write re-read it on
        // its conflict, and its event can be swallowed as our own, so look again now instead of at the resync.
        boolean specMoved = !java.util.Objects.equals(status.current().getMetadata().getGeneration(), cluster.getMetadata().getGeneration());
        Duration next;
        if (pace.isZero() || specMoved) {
            next = backoff.immediate(uid);
        } else {
            backoff.paced(uid);
            next = pace;
        }
        next = CaRotations.pace(next, rotated, tls.status(), TLS_RECHECK);
        if (!obs.alarms().isEmpty() && next.compareTo(ALARM_RECHECK) > 0) {
            // Raising or disarming an alarm changes no Kubernetes object, so nothing else would wake us to report it.
            next = ALARM_RECHECK;
        }
        return UpdateControl.<EtcdCluster>noUpdate().rescheduleAfter(next);
    }

    /** Degraded with the reason, the certificates' status, and nothing else touched; looked at again after TLS_RECHECK. */
    private UpdateControl<EtcdCluster> refuse(EtcdCluster cluster, JournaledStatus status, ConditionReason reason, String message,
                                              TlsStatus tlsStatus) {
        status.modify(s -> {
            s.setConditions(new Conditions(clock).upsert(s.getConditions(), Conditions.DEGRADED, true, reason, message,
                    cluster.getMetadata().getGeneration()));
            s.setTls(tlsStatus);
        });
        return UpdateControl.<EtcdCluster>noUpdate().rescheduleAfter(TLS_RECHECK);
    }

    /**
     * Applies managed objects; an API refusal (RBAC, admission, quota, a 5xx) is returned for the status and
     * the back-off instead of thrown, so that it reaches the user rather than only JOSDK's retry log.
     */
    private static String applyAll(Runnable writes) {
        try {
            writes.run();
            return null;
        } catch (KubernetesClientException e) {
            return "applying the cluster's objects failed: " + ApiRefusal.describe(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}

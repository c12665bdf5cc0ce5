package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.ConditionReason;
import com.storageos.etcd.api.v1alpha1.status.TlsStatus;
import com.storageos.etcd.config.OperatorConfig;
import com.storageos.etcd.desired.ClientService;
import com.storageos.etcd.desired.MemberAccess;
import com.storageos.etcd.desired.MemberStatefulSet;
import com.storageos.etcd.desired.PauseRequest;
import com.storageos.etcd.desired.PeerService;
import com.storageos.etcd.desired.QuorumDisruptionBudget;
import com.storageos.etcd.desired.RecoveryAnnotation;
import com.storageos.etcd.desired.RenderSettings;
import com.storageos.etcd.etcdclient.EtcdAdminFactory;
import com.storageos.etcd.events.ClusterEvents;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.MembershipPlanner;
import com.storageos.etcd.membership.MigrationInput;
import com.storageos.etcd.membership.PlanInput;
import com.storageos.etcd.membership.Step;
import com.storageos.etcd.metrics.ClusterGauges;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import com.storageos.etcd.reconciler.ClusterLifecycle;
import com.storageos.etcd.reconciler.etcdcluster.ObservationCollector.Observed;
import com.storageos.etcd.reconciler.etcdcluster.certificates.CaRotations;
import com.storageos.etcd.reconciler.etcdcluster.certificates.ClusterCertificates;
import com.storageos.etcd.reconciler.etcdcluster.certificates.JoinCertificate;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournalConflict;
import com.storageos.etcd.reconciler.etcdcluster.journal.JournaledStatus;
import com.storageos.etcd.reconciler.etcdcluster.members.EtcdAdminPool;
import com.storageos.etcd.reconciler.etcdcluster.members.MigrationInputs;
import com.storageos.etcd.reconciler.etcdcluster.pods.KubernetesClusterOperations;
import com.storageos.etcd.reconciler.etcdcluster.pods.VoterGateWriter;
import com.storageos.etcd.status.ConditionTransitions;
import com.storageos.etcd.status.Conditions;
import com.storageos.etcd.status.StatusComputer;
import com.storageos.etcd.status.StatusInput;
import com.storageos.etcd.tls.RenewalPolicy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One reconcile is the list of stages in docs/architecture.md, in its order: pause, certificates, the join certificate,
 * the fixed objects, observe, voter gates, plan, act (the step, then the CA rotation), apply the workload, write the
 * status, pace. The membership logic itself lives in the pure {@link MembershipPlanner}; this class only does I/O around it.
 */
// Not generation-aware: annotations carry requests (backup-now, recovery, pause) and must wake a reconcile too.
@ControllerConfiguration(name = "etcdcluster", generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = SpecOrRequestChanged.class))
public class EtcdClusterReconciler implements Reconciler<EtcdCluster>, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EtcdClusterReconciler.class);
    private final KubernetesClient client;
    private final RenderSettings settings;
    private final Clock clock;
    private final Duration learnerDeadline;
    private final Duration survivorDeadline;
    private final EtcdAdminPool pool;
    private final ObservationCollector collector;
    private final DesiredStateApplier applier;
    private final ClusterEvents events;
    private final MembershipPlanner planner = new MembershipPlanner();
    private final StatusComputer statusComputer;
    private final ToolWorkloads tools;
    private final StorageChanges storage;
    private final ClusterGauges gauges;
    private final ReconcilePace pace = new ReconcilePace();
    private final VoterGateWriter gates;
    private final ClusterCertificates certificates;
    private final OwnedObjectCaches caches = new OwnedObjectCaches();
    private final CaRotations rotations;

    /** What act() did: the step's result, and whether it recorded a CA rotation's next phase. */
    private record Acted(StepResult result, boolean rotated) { }

    @Inject
    public EtcdClusterReconciler(KubernetesClient client, RenderSettings settings, EtcdAdminFactory factory, Clock clock,
                                 OperatorConfig config, MeterRegistry registry) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.learnerDeadline = config.learnerDeadline();
        this.survivorDeadline = config.survivorDeadline();
        this.pool = new EtcdAdminPool(factory, clock);
        this.collector = new ObservationCollector(client, caches, clock, settings.addressing(), pool);
        this.applier = new DesiredStateApplier(client, caches);
        this.events = new ClusterEvents(client, clock);
        this.statusComputer = new StatusComputer(clock);
        this.tools = new ToolWorkloads(client, caches, applier, settings, events);
        this.storage = new StorageChanges(client, caches);
        this.gauges = new ClusterGauges(registry, config.metricsClusterLabel(), clock);
        this.gates = new VoterGateWriter(client, clock);
        this.certificates = new ClusterCertificates(client, settings.addressing(), RenewalPolicy.DEFAULT, clock);
        this.rotations = new CaRotations(RenewalPolicy.DEFAULT, events, clock);
    }

    @Override
    public List<EventSource<?, EtcdCluster>> prepareEventSources(EventSourceContext<EtcdCluster> context) {
        List<EventSource<?, EtcdCluster>> sources = new ArrayList<>(caches.create(context));
        // Status writes wake no reconcile (SpecOrRequestChanged): the backup agent's recovery point reaches the gauges here.
        // Gauges are the only thing of a deleted cluster that owner references cannot remove.
        sources.add(new ClusterLifecycle("cluster-metrics", gauges::backups, gauges::forget));
        return sources;
    }

    @Override
    public UpdateControl<EtcdCluster> reconcile(EtcdCluster cluster, Context<EtcdCluster> context) {
        ClusterNames names = new ClusterNames(cluster.getMetadata().getName(), cluster.getMetadata().getNamespace());
        JournaledStatus status = JournaledStatus.of(cluster, names, client, context);
        if (PauseRequest.paused(cluster)) {
            return pause(cluster, status);
        }
        ClusterCertificates.Outcome tls = certificates(cluster, names);
        if (!tls.usable()) { // No pod may start on certificates etcd would refuse or serve wrongly: nothing else is touched.
            return refuse(cluster, status, ConditionReason.TlsNotUsable, String.join("; ", tls.problems()), tls.status());
        }
        Optional<MigrationInput> migration = MigrationInputs.read(client, cluster, names, settings.addressing());
        JoinCertificate.Outcome join = JoinCertificate.read(client, cluster, migration, clock.instant());
        if (!join.usable()) { // No call reaches the external cluster with a certificate it would refuse: nothing is touched.
            return refuse(cluster, status, ConditionReason.MigrationTlsNotUsable, String.join("; ", join.problems()) + "; nothing was changed",
                    tls.status());
        }
        String fixedError = applyFixedObjects(cluster);
        Observed observed = collector.observe(cluster, names, tls.operatorTls(), migration, join.tls());
        gates.write(observed.pods(), names, observed.observation());
        Step step = plan(cluster, observed);
        Optional<Acted> acted = act(cluster, names, status, step, tls, observed);
        if (acted.isEmpty()) {
            return reschedule(status, ReconcilePace.CONFLICT);
        }
        StepResult result = acted.get().result();
        String workloadError = applyWorkload(cluster, names, result.statefulSetReplicas().orElse(observed.keptPods()), tls, observed);
        String error = result.error() != null ? result.error() : workloadError != null ? workloadError : fixedError;
        gauges.backups(cluster);
        writeStatus(cluster, names, status, observed.observation(), step, result.failure(), error, tls.status());
        return reschedule(status, pace.next(cluster, status.current(), error, result.requeueAfter(), acted.get().rotated(), tls.status(),
                !observed.observation().alarms().isEmpty() || observed.observation().clusterVersionBehindMembers()));
    }

    /** Paused: the status says so and nothing else is touched. Unpausing wakes a reconcile (annotations do); the recheck is a safety net. */
    private UpdateControl<EtcdCluster> pause(EtcdCluster cluster, JournaledStatus status) {
        status.modify(s -> statusComputer.paused(cluster.getMetadata().getGeneration(), s));
        return reschedule(status, ReconcilePace.PAUSED_RECHECK);
    }

    /** The cluster's own certificates, issued or checked, as the CA rotation recorded so far asks; their expiries go to the meters. */
    private ClusterCertificates.Outcome certificates(EtcdCluster cluster, ClusterNames names) {
        ClusterCertificates.Outcome tls = certificates.ensure(cluster, CaRotations.recorded(cluster));
        gauges.certificates(cluster, tls.status());
        return tls;
    }

    /** The member ServiceAccount, Role and RoleBinding, and the peer and client Services. */
    private String applyFixedObjects(EtcdCluster cluster) {
        return ApiRefusal.applying(() -> List.of(MemberAccess.serviceAccount(cluster), MemberAccess.role(cluster),
                MemberAccess.roleBinding(cluster), PeerService.build(cluster), ClientService.build(cluster)).forEach(applier::apply));
    }

    private Step plan(EtcdCluster cluster, Observed observed) {
        boolean formed = cluster.getStatus() != null && cluster.getStatus().getClusterId() != null;
        return planner.next(new PlanInput(cluster.getSpec().getReplicas(), observed.observation(), observed.journal(), formed,
                observed.urls()::peerUrl, learnerDeadline, observed.recordedPods(), RecoveryAnnotation.pending(cluster), observed.migration(),
                survivorDeadline));
    }

    /**
     * Records, then carries out, the step; then records the CA rotation's next phase, acted on by the next reconcile's
     * certificates (each stage is on the status before its first act). Empty when a journal write lost its
     * compare-and-swap: someone wrote the cluster since we read it (another operator in a leader-election overlap,
     * a status writer), nothing was recorded or done, and the next reconcile plans again from what they wrote.
     */
    private Optional<Acted> act(EtcdCluster cluster, ClusterNames names, JournaledStatus status, Step step, ClusterCertificates.Outcome tls,
                                Observed observed) {
        try {
            StepResult result = new StepExecutor(observed.admin(), status, new KubernetesClusterOperations(client, names), events, cluster, names,
                    clock, observed.observation()).execute(step);
            boolean rotated = rotations.advance(status.current(), status, tls, observed.pods(), observed.urls());
            return Optional.of(new Acted(result, rotated));
        } catch (JournalConflict e) {
            LOG.infof("%s", e.getMessage());
            return Optional.empty();
        }
    }

    /** Replicas come from the recorded membership, not the StatefulSet: a hand-made kubectl scale sts down is undone, even while quorum is lost. */
    private String applyWorkload(EtcdCluster cluster, ClusterNames names, int replicas, ClusterCertificates.Outcome tls, Observed observed) {
        return ApiRefusal.applying(() -> {
            applier.apply(StorageChanges.keepClaimTemplates(MemberStatefulSet.build(cluster, replicas, settings, tls.trustBundleHash()),
                    observed.statefulSet()));
            storage.growClaims(names, cluster.getSpec().getStorage(), replicas);
            applier.apply(QuorumDisruptionBudget.build(cluster, observed.recorded().voters(observed.observation())));
            tools.reconcile(cluster, names, Math.max(replicas, observed.observation().memberPodCount()));
        });
    }

    /** The status computed from the observation and the step, written once if it changed, and an Event per condition transition. */
    private void writeStatus(EtcdCluster cluster, ClusterNames names, JournaledStatus status, ClusterObservation obs, Step step, String failure,
                             String error, TlsStatus tls) {
        StatusInput input = new StatusInput(names.cluster(), cluster.getSpec().getReplicas(), cluster.getMetadata().getGeneration(), obs, step,
                failure, error, Labels.selectorString(Labels.memberSelector(names.cluster())));
        List<Condition> before = status.current().getStatus() == null ? List.of() : List.copyOf(status.current().getStatus().getConditions());
        status.modify(s -> {
            statusComputer.apply(input, s);
            statusComputer.volumeFitsQuota(cluster.getSpec().getStorage(), cluster.getSpec().getEtcd(), cluster.getMetadata().getGeneration(), s);
            s.setTls(tls);
            CaRotations.condition(new Conditions(clock), s, cluster.getMetadata().getGeneration());
        });
        ConditionTransitions.between(before, status.current().getStatus().getConditions())
                .forEach(n -> events.emit(cluster, n.normal(), n.reason(), n.message()));
    }

    /** Degraded with the reason, the certificates' status, and nothing else touched; looked at again after TLS_RECHECK. */
    private UpdateControl<EtcdCluster> refuse(EtcdCluster cluster, JournaledStatus status, ConditionReason reason, String message,
                                              TlsStatus tlsStatus) {
        status.modify(s -> {
            s.setConditions(new Conditions(clock).upsert(s.getConditions(), Conditions.DEGRADED, true, reason, message,
                    cluster.getMetadata().getGeneration()));
            s.setTls(tlsStatus);
        });
        return reschedule(status, ReconcilePace.TLS_RECHECK);
    }

    /** Every reconcile ends here: the condition and member gauges follow the status it left. */
    private UpdateControl<EtcdCluster> reschedule(JournaledStatus status, Duration after) {
        gauges.conditions(status.current());
        return UpdateControl.<EtcdCluster>noUpdate().rescheduleAfter(after);
    }

    @Override
    public void close() {
        pool.close();
    }
}

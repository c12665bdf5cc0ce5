package com.storageos.etcd.reconciler.storageossync;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.StorageOSReplacement;
import com.storageos.etcd.desired.PauseRequest;
import com.storageos.etcd.naming.MemberAddressing;
import com.storageos.etcd.reconciler.ClusterLifecycle;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps StorageOSCluster.spec.kvBackend.address equal to the EtcdCluster's live client endpoints.
 * A controller of its own so that the EtcdCluster reconciler does not grow; it shares the primary
 * but owns only status.storageos and the StorageOSSynced condition.
 * Not generation-aware: member health lives in the status, which does not bump the generation.
 *
 * <p>StorageOSClusters are read, not watched: StorageOS is usually installed after its etcd, so the
 * CRD may not exist yet, and a namespace-scoped install may not list them cluster-wide. An informer
 * on a missing resource kept the operator from ever becoming ready. Each synced cluster is instead
 * rechecked every {@link StorageOSSync#RECHECK}: a hand edit of the address, a CRD installed later or
 * a rotated client Secret is seen within that time.
 */
@ApplicationScoped
@ControllerConfiguration(name = StorageOSSyncReconciler.NAME, generationAwareEventProcessing = false,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class StorageOSSyncReconciler implements Reconciler<EtcdCluster> {
    public static final String NAME = "storageos-sync";
    /**
     * How long one pass waits for a StorageOSCluster it deleted to go before it says so and looks again later: the
     * replacement is recorded in the status, so a longer teardown delays it and never loses it.
     */
    static final Duration RECREATE_WAIT = Duration.ofSeconds(30);
    private final Clock clock;
    private final MemberAddressing addressing;
    private final SettleGate gate;

    @Inject
    public StorageOSSyncReconciler(Clock clock, MemberAddressing addressing) {
        this.clock = clock;
        this.addressing = addressing;
        this.gate = new SettleGate(clock);
    }

    @Override
    public List<EventSource<?, EtcdCluster>> prepareEventSources(EventSourceContext<EtcdCluster> context) {
        // A Secret cannot be owned across namespaces, so the copy for StorageOS goes by this hook.
        return List.of(new ClusterLifecycle("deleted-cluster-secret-copy", c -> { }, new EtcdClientSecretCopy(context.getClient())::forget));
    }

    @Override
    public UpdateControl<EtcdCluster> reconcile(EtcdCluster cached, Context<EtcdCluster> context) throws InterruptedException {
        KubernetesClient client = context.getClient();
        // Read fresh: the settle clock and the edited-back check compare against our own last status write.
        EtcdCluster cluster = client.resources(EtcdCluster.class).inNamespace(cached.getMetadata().getNamespace())
                .withName(cached.getMetadata().getName()).get();
        if (cluster == null || PauseRequest.paused(cluster)) {
            return UpdateControl.noUpdate();
        }
        StorageOSSyncParts parts = StorageOSSyncParts.of(client, clock, RECREATE_WAIT);
        if (cluster.getSpec().getStorageos() == null) {
            // spec.storageos removed while a Recreate was under way: the StorageOSCluster comes back before the record goes.
            StorageOSReplacement pending = cluster.getStatus() == null || cluster.getStatus().getStorageos() == null ? null
                    : cluster.getStatus().getStorageos().getReplacement();
            if (pending != null && parts.recreation().advance(pending) instanceof StorageOSRecreation.Progress.Terminating) {
                return UpdateControl.<EtcdCluster>noUpdate().rescheduleAfter(StorageOSSync.SETTLE_POLL);
            }
            parts.status().update(cluster, s -> {
                s.setStorageos(null);
                s.setConditions(SyncedCondition.without(s.getConditions()));
            });
            return UpdateControl.noUpdate();
        }
        return new StorageOSSync(parts).run(Observed.of(cluster, addressing, gate));
    }
}

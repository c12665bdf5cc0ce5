package com.storageos.etcd.reconciler.storageossync;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.ResourceOperations;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/** The one thing the kvbackend reconciler takes from its Context is the client; the rest is not used. */
record ReconcileContext(KubernetesClient client, EtcdCluster primary) implements Context<EtcdCluster> {
    @Override public KubernetesClient getClient() { return client; }
    @Override public EtcdCluster getPrimaryResource() { return primary; }
    @Override public Optional<RetryInfo> getRetryInfo() { return Optional.empty(); }
    @Override public <R> Set<R> getSecondaryResources(Class<R> type, boolean deduplicate) { throw unused(); }
    @Override public <R> Stream<R> getSecondaryResourcesAsStream(Class<R> type, boolean deduplicate) { throw unused(); }
    @Override public ResourceOperations<EtcdCluster> resourceOperations() { throw unused(); }
    @Override public <R> Optional<R> getSecondaryResource(Class<R> type, String name) { throw unused(); }
    @Override public ControllerConfiguration<EtcdCluster> getControllerConfiguration() { throw unused(); }
    @Override public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() { throw unused(); }
    @Override public EventSourceRetriever<EtcdCluster> eventSourceRetriever() { throw unused(); }
    @Override public ExecutorService getWorkflowExecutorService() { throw unused(); }
    @Override public IndexedResourceCache<EtcdCluster> getPrimaryCache() { throw unused(); }
    @Override public boolean isNextReconciliationImminent() { return false; }
    @Override public boolean isPrimaryResourceDeleted() { return false; }
    @Override public boolean isPrimaryResourceFinalStateUnknown() { return false; }

    private static UnsupportedOperationException unused() {
        return new UnsupportedOperationException("not used by the kvbackend reconciler");
    }
}

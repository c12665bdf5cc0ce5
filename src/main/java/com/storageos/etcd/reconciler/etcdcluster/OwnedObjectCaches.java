package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.naming.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One informer per kind of object an EtcdCluster owns, each watching only the operator's own labels. They
 * wake a reconcile when such an object changes (a pod became ready, someone edited a Service), and they
 * answer the reconcile's reads, so that a converged reconcile reads its objects from memory instead of
 * the API server. What the operator writes goes into the cache at once ({@link #written}): the next
 * reconcile never sees an object older than the operator's own last write to it. The caches keep no managedFields
 * ({@link StoreWithoutManagedFields}).
 */
final class OwnedObjectCaches {
    /** What the operator labels as its own; the data claims get the member selector from the StatefulSet controller instead. */
    static final String OWN = Labels.MANAGED_BY + "=" + Labels.OPERATOR;
    private static final String MEMBER_PODS = OWN + "," + Labels.NAME + "=etcd";
    private static final String DATA_CLAIMS = Labels.NAME + "=etcd," + Labels.CLUSTER;
    private final Map<Class<?>, InformerEventSource<?, EtcdCluster>> sources = new ConcurrentHashMap<>();

    /** The event sources for JOSDK to start; called once, before the first reconcile. */
    List<EventSource<?, EtcdCluster>> create(EventSourceContext<EtcdCluster> context) {
        List<EventSource<?, EtcdCluster>> created = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : List.of(StatefulSet.class, Service.class, ServiceAccount.class, Role.class,
                RoleBinding.class, PodDisruptionBudget.class, CronJob.class, Deployment.class)) {
            created.add(add(kind, OWN, context));
        }
        created.add(add(Pod.class, MEMBER_PODS, context));
        created.add(add(PersistentVolumeClaim.class, DATA_CLAIMS, context));
        return created;
    }

    private <T extends HasMetadata> InformerEventSource<T, EtcdCluster> add(Class<T> kind, String selector, EventSourceContext<EtcdCluster> context) {
        var configuration = InformerEventSourceConfiguration.from(kind, EtcdCluster.class)
                .withName(kind.getSimpleName().toLowerCase(Locale.ROOT))
                .withLabelSelector(selector)
                .withItemStore(new StoreWithoutManagedFields<>())
                // Every object of a cluster, owned or not (the claims), carries the cluster's label.
                .withSecondaryToPrimaryMapper(o -> Optional.ofNullable(o.getMetadata().getLabels())
                        .map(l -> l.get(Labels.CLUSTER))
                        .map(cluster -> Set.of(new ResourceID(cluster, o.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .build();
        InformerEventSource<T, EtcdCluster> source = new InformerEventSource<>(configuration, context);
        sources.put(kind, source);
        return source;
    }

    /** The cached object, as the informer last saw it or as the operator last wrote it, whichever is newer. */
    <T extends HasMetadata> Optional<T> get(Class<T> kind, String namespace, String name) {
        return source(kind).get(new ResourceID(name, namespace));
    }

    /** The cluster's data claims (data-<cluster>-<ordinal>), by the member selector the StatefulSet controller copies onto them. */
    List<PersistentVolumeClaim> dataClaims(ClusterNames names) {
        return source(PersistentVolumeClaim.class).list(names.namespace(),
                c -> names.cluster().equals(c.getMetadata().getLabels().get(Labels.CLUSTER))
                        && c.getMetadata().getName().startsWith(ClusterNames.DATA_VOLUME + "-")).toList();
    }

    /** Tells the cache of an object the operator just wrote ({@code previous}: the cached object it replaced, or null). */
    @SuppressWarnings("unchecked")
    <T extends HasMetadata> void written(T stored, T previous) {
        InformerEventSource<T, EtcdCluster> source = source((Class<T>) stored.getClass());
        ResourceID id = ResourceID.fromResource(stored);
        if (previous == null) {
            source.handleRecentResourceCreate(id, stored);
        } else {
            source.handleRecentResourceUpdate(id, stored, previous);
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> InformerEventSource<T, EtcdCluster> source(Class<T> kind) {
        InformerEventSource<?, EtcdCluster> source = sources.get(kind);
        if (source == null) {
            throw new IllegalStateException("no informer caches " + kind.getSimpleName() + ": add it to OwnedObjectCaches.create");
        }
        return (InformerEventSource<T, EtcdCluster>) source;
    }
}

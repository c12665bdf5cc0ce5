package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.naming.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reconcile as soon as a member pod or the StatefulSet changes (a pod became ready, an init
 * container reported lost data), instead of polling.
 */
final class MemberEventSources {
    private MemberEventSources() {
    }

    static List<EventSource<?, EtcdCluster>> create(EventSourceContext<EtcdCluster> context) {
        var statefulSets = InformerEventSourceConfiguration.from(StatefulSet.class, EtcdCluster.class)
                .withName("statefulsets")
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.OPERATOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(EtcdCluster.class))
                .build();
        var pods = InformerEventSourceConfiguration.from(Pod.class, EtcdCluster.class)
                .withName("pods")
                .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.OPERATOR + "," + Labels.NAME + "=etcd")
                .withSecondaryToPrimaryMapper(pod -> Optional.ofNullable(pod.getMetadata().getLabels())
                        .map(l -> l.get(Labels.CLUSTER))
                        .map(cluster -> Set.of(new ResourceID(cluster, pod.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .build();
        return List.of(new InformerEventSource<>(statefulSets, context), new InformerEventSource<>(pods, context));
    }
}

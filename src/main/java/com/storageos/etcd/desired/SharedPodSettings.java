package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpecFluent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the member pods and the tool pods (backup, defrag) take alike from {@code spec.podTemplate} and the operator's
 * settings: the pull Secrets, the security context and the placement. A tool pod that schedules where the members
 * cannot (dedicated, tainted etcd nodes) or pulls from where they cannot fails every run.
 */
final class SharedPodSettings {
    private SharedPodSettings() {
    }

    static PodTemplateSpec podTemplate(EtcdCluster cluster) {
        return Optional.ofNullable(cluster.getSpec().getPodTemplate()).orElseGet(PodTemplateSpec::new);
    }

    /** The operator's pull Secrets, then the cluster's own, each name once; null when none, so that the field stays unset. */
    static List<LocalObjectReference> imagePullSecrets(EtcdCluster cluster, RenderSettings settings) {
        Set<String> names = new LinkedHashSet<>(settings.imagePullSecrets());
        Optional.ofNullable(podTemplate(cluster).getImagePullSecrets()).orElse(List.of()).stream()
                .map(LocalObjectReference::getName).filter(n -> n != null && !n.isBlank()).forEach(names::add);
        return names.isEmpty() ? null : names.stream().map(LocalObjectReference::new).toList();
    }

    static PodSecurityContext podSecurity(EtcdCluster cluster, RenderSettings settings) {
        return Optional.ofNullable(podTemplate(cluster).getSecurityContext())
                .orElseGet(() -> RestrictedSecurity.pod(settings.platformAssignsUser()));
    }

    /** The user's placement only: the members' default anti-affinity among themselves means nothing for a tool pod. */
    static <T extends PodSpecFluent<T>> T placeLikeMembers(T spec, EtcdCluster cluster) {
        PodTemplateSpec pod = podTemplate(cluster);
        return spec.withNodeSelector(pod.getNodeSelector())
                .withTolerations(pod.getTolerations())
                .withAffinity(pod.getAffinity())
                .withPriorityClassName(pod.getPriorityClassName());
    }
}

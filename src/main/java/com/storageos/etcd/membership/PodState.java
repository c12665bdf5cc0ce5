package com.storageos.etcd.membership;

/**
 * What the operator sees of one member pod.
 *
 * @param reportedDataLoss the bootstrap init container's last termination message said the
 *                         member's data is gone (see {@link BootstrapReport})
 * @param currentRevision  the pod runs the StatefulSet's current template
 * @param crashLooping     its etcd container keeps exiting and the kubelet keeps restarting it in place
 *                         (a real kubelet never reruns the init container for that)
 */
public record PodState(int ordinal, boolean ready, boolean terminating, boolean reportedDataLoss, boolean currentRevision,
                       boolean crashLooping) {
}

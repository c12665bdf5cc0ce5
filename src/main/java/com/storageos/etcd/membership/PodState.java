package com.storageos.etcd.membership;

/**
 * What the operator sees of one member pod.
 *
 * @param reportedDataLoss the bootstrap init container's last termination message said the
 *                         member's data is gone (see {@link BootstrapReport})
 * @param currentRevision  the pod runs the StatefulSet's current template
 */
public record PodState(int ordinal, boolean ready, boolean terminating, boolean reportedDataLoss, boolean currentRevision) {
}

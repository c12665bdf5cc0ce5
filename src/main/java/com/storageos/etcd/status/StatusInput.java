package com.storageos.etcd.status;

import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Step;

/**
 * @param clusterName     the EtcdCluster's name, for the commands a condition suggests
 * @param desiredReplicas spec.replicas
 * @param generation      metadata.generation being reconciled
 * @param step            what this reconcile decided
 * @param stepFailure     why the step's action did not go through this time (a transient etcd refusal), or null
 * @param stepError       the step's action failed (an etcd refusal or an API error) and is retried with back-off, or null
 * @param selector        the member pod selector, for the scale subresource
 */
public record StatusInput(String clusterName, int desiredReplicas, long generation, ClusterObservation observation, Step step,
                          String stepFailure, String stepError, String selector) {
}

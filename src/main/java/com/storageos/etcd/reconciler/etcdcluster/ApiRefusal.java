package com.storageos.etcd.reconciler.etcdcluster;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** How an API server's refusal reads in a condition message: the code and the server's own words. */
final class ApiRefusal {
    private ApiRefusal() {
    }

    static String describe(KubernetesClientException e) {
        String why = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return "the Kubernetes API answered " + e.getCode() + ": " + why;
    }
}

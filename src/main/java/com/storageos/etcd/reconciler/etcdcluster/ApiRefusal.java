package com.storageos.etcd.reconciler.etcdcluster;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** How an API server's refusal reads in a condition message: the code and the server's own words. */
final class ApiRefusal {
    private ApiRefusal() {
    }

    /**
     * Runs writes of managed objects; an API refusal (RBAC, admission, quota, a 5xx) is returned for the status and
     * the back-off instead of thrown, so that it reaches the user rather than only JOSDK's retry log. Null when none.
     */
    static String applying(Runnable writes) {
        try {
            writes.run();
            return null;
        } catch (KubernetesClientException e) {
            return "applying the cluster's objects failed: " + describe(e);
        }
    }

    static String describe(KubernetesClientException e) {
        String why = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return "the Kubernetes API answered " + e.getCode() + ": " + why;
    }
}

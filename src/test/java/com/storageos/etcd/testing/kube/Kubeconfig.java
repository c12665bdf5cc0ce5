package com.storageos.etcd.testing.kube;

/** A kubeconfig that reaches a control plane as one user by a bearer token, skipping TLS verification as kubectl's insecure mode does. */
final class Kubeconfig {
    private Kubeconfig() {
    }

    static String of(String server, String user, String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: sandbox
                    cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                  - name: %s
                    user: {token: "%s"}
                contexts:
                  - name: %s
                    context: {cluster: sandbox, user: %s, namespace: default}
                current-context: %s
                """.formatted(server, user, token, user, user, user);
    }
}

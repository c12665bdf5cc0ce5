package com.storageos.etcd.desired;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/** Settings that satisfy the restricted Pod Security Standard. */
public final class RestrictedSecurity {
    /** The upstream distroless etcd image has no user of its own; this one owns the data volume via fsGroup. */
    public static final long USER = 65532;

    private RestrictedSecurity() {
    }

    /**
     * @param platformAssignsUser no UID, GID or fsGroup: OpenShift's restricted-v2 SCC assigns them from the namespace's
     *                            range and refuses a pod that names others
     */
    public static PodSecurityContext pod(boolean platformAssignsUser) {
        PodSecurityContextBuilder pod = new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withFsGroupChangePolicy("OnRootMismatch")
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
        if (!platformAssignsUser) {
            pod.withRunAsUser(USER).withRunAsGroup(USER).withFsGroup(USER);
        }
        return pod.build();
    }

    public static SecurityContext container() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }
}

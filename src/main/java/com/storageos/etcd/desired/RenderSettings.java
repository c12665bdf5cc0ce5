package com.storageos.etcd.desired;

import com.storageos.etcd.naming.MemberAddressing;
import java.util.List;

/**
 * Operator-wide inputs of the builders.
 *
 * @param operatorImage       this operator's own image, run in tool mode by init containers and CronJobs
 * @param etcdImageRepository upstream etcd image repository; the tag is {@code v<spec.version>}
 * @param imagePullSecrets    pull Secrets (by name, in each cluster's namespace) that every member and tool pod carries
 * @param platformAssignsUser the platform (OpenShift's restricted SCCs) assigns the pods' UID, GID and fsGroup, so the
 *                            default security context names none
 */
public record RenderSettings(String operatorImage, String etcdImageRepository, MemberAddressing addressing,
                             List<String> imagePullSecrets, boolean platformAssignsUser) {

    public RenderSettings {
        imagePullSecrets = List.copyOf(imagePullSecrets);
    }
}

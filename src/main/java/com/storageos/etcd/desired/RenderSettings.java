package com.storageos.etcd.desired;

import com.storageos.etcd.naming.MemberAddressing;

/**
 * Operator-wide inputs of the builders.
 *
 * @param operatorImage       this operator's own image, run in tool mode by init containers and CronJobs
 * @param etcdImageRepository upstream etcd image repository; the tag is {@code v<spec.version>}
 */
public record RenderSettings(String operatorImage, String etcdImageRepository, MemberAddressing addressing) {
}

package com.storageos.etcd.naming;

import java.util.Map;
import java.util.stream.Collectors;

/** The labels the operator puts on what it creates, and selects by. */
public final class Labels {
    public static final String CLUSTER = "etcd.storageos.com/cluster";
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "etcd-operator";
    public static final String POD_NAME = "statefulset.kubernetes.io/pod-name";
    public static final String REVISION = "controller-revision-hash";

    private Labels() {
    }

    /** Selects the member pods of one cluster; stable for the cluster's lifetime (StatefulSet selectors are immutable). */
    public static Map<String, String> memberSelector(String cluster) {
        return Map.of(NAME, "etcd", CLUSTER, cluster);
    }

    public static Map<String, String> forComponent(String cluster, String component) {
        return Map.of(NAME, "etcd", CLUSTER, cluster, INSTANCE, cluster, COMPONENT, component, MANAGED_BY, OPERATOR);
    }

    /** The selector as a string, for status.selector and the scale subresource. */
    public static String selectorString(Map<String, String> selector) {
        return selector.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}

package com.storageos.etcd.packaging;

/** A Kubernetes API resource as RBAC names it: API group ("" for core) and plural, maybe with a subresource. */
record KubeResource(String group, String resource) implements Comparable<KubeResource> {

    static KubeResource core(String plural) {
        return new KubeResource("", plural);
    }

    static KubeResource of(String group, String plural) {
        return new KubeResource(group == null ? "" : group, plural);
    }

    KubeResource status() {
        return new KubeResource(group, resource + "/status");
    }

    KubeResource eviction() {
        return new KubeResource(group, resource + "/eviction");
    }

    KubeResource finalizers() {
        return new KubeResource(group, resource + "/finalizers");
    }

    /** Events are only written; a finalizers subresource is only ever updated, an eviction only created (neither can be read). */
    boolean isWriteOnly() {
        return resource.equals("events") || resource.endsWith("/finalizers") || resource.endsWith("/eviction");
    }

    @Override
    public int compareTo(KubeResource other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return (group.isEmpty() ? "core" : group) + "/" + resource;
    }
}

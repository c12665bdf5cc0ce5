package com.storageos.etcd.api.storageos;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The consumer's resource, owned by the StorageOS operator. This model holds only what we read;
 * it is never sent back whole (a PUT would drop every field not modelled here). Writes are JSON
 * merge patches of single fields, or, for the Recreate policy, an untyped copy of the full object.
 */
@Group(StorageOSCluster.GROUP)
@Version(StorageOSCluster.VERSION)
@Kind(StorageOSCluster.KIND)
@Plural(StorageOSCluster.PLURAL)
public class StorageOSCluster extends CustomResource<StorageOSClusterSpec, StorageOSClusterStatus> implements Namespaced {
    public static final String GROUP = "storageos.com";
    public static final String VERSION = "v1";
    public static final String KIND = "StorageOSCluster";
    public static final String PLURAL = "storageosclusters";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    @Override
    protected StorageOSClusterSpec initSpec() {
        return new StorageOSClusterSpec();
    }
}

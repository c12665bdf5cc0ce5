package com.storageos.etcd.reconciler.storageossync;

/** Where StorageOS finds the etcd client certificate: spec.tlsEtcdSecretRefName / spec.tlsEtcdSecretRefNamespace. */
record EtcdClientTlsRef(String name, String namespace) {
}

package com.storageos.etcd.api.v1alpha1;

import com.storageos.etcd.api.v1alpha1.spec.EtcdClusterSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An etcd cluster run as pods, kept safe by the operator's learner loop. */
@Group(EtcdCluster.GROUP)
@Version(EtcdCluster.VERSION)
@ShortNames("etcdc")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Members", jsonPath = ".status.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.currentVersion", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Leader", jsonPath = ".status.leader", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last Backup", jsonPath = ".status.lastBackup.time", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class EtcdCluster extends CustomResource<EtcdClusterSpec, EtcdClusterStatus> implements Namespaced {
    public static final String GROUP = "etcd.storageos.com";
    public static final String VERSION = "v1alpha1";

    @Override
    protected EtcdClusterSpec initSpec() {
        return new EtcdClusterSpec();
    }

    @Override
    protected EtcdClusterStatus initStatus() {
        return new EtcdClusterStatus();
    }
}

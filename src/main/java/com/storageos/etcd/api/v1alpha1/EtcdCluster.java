package com.storageos.etcd.api.v1alpha1;

import com.storageos.etcd.api.v1alpha1.spec.EtcdClusterSpec;
import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An etcd cluster run as pods, kept safe by the operator's learner loop. */
// On the whole object, the one place a rule sees the status next to the spec: an update of the spec carries the stored
// status. etcd's v3.5->v3.6 upgrade guide asks every member to run 3.5.26 or later first ("too many learner member" fails
// older ones, and every membership change here goes through a learner); status.currentVersion is the lowest version a
// member reports. A new cluster created at 3.6 has no members to upgrade and is not an update.
@ValidationRule(value = "!has(self.spec) || !has(oldSelf.spec) || !has(self.spec.version) || !has(oldSelf.spec.version)"
        + " || int(self.spec.version.split('.')[1]) < 6 || int(oldSelf.spec.version.split('.')[1]) >= 6"
        + " || (has(self.status) && has(self.status.currentVersion) && self.status.currentVersion.matches('^3[.][0-9]+[.][0-9]+$')"
        + " && (int(self.status.currentVersion.split('.')[1]) > 5 || (int(self.status.currentVersion.split('.')[1]) == 5"
        + " && int(self.status.currentVersion.split('.')[2]) >= 26)))",
        message = "spec.version cannot move to 3.6 before every member runs 3.5.26 or later (status.currentVersion): etcd's upgrade guide"
                + " requires it (https://etcd.io/docs/v3.6/upgrades/upgrade_3_6/); upgrade to the newest 3.5 first")
@Group(EtcdCluster.GROUP)
@Version(EtcdCluster.VERSION)
@ShortNames("etcdc")
@Categories({"etcd", "storageos"})
// The column order is CrdDriftTest's (the generator sorts them by name); -o wide adds the priority 1 columns.
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Members", jsonPath = ".status.membersSummary", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.currentVersion", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Leader", jsonPath = ".status.leader", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last Backup", jsonPath = ".status.lastBackup.time", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Available", jsonPath = ".status.conditions[?(@.type==\"Available\")].reason",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Progressing", jsonPath = ".status.conditions[?(@.type==\"Progressing\")].reason",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Degraded", jsonPath = ".status.conditions[?(@.type==\"Degraded\")].reason",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Cluster Version", jsonPath = ".status.clusterVersion", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
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

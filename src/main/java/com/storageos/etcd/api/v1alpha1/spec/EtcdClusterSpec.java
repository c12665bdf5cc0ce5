package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(oldSelf.bootstrap) == has(self.bootstrap) && (!has(self.bootstrap) || self.bootstrap == oldSelf.bootstrap)",
        message = "spec.bootstrap is immutable: a restore only seeds a new cluster")
// Here and not on the tls field: a rule on the field runs only when the stored object has it, so adding or removing tls would pass.
// Turning TLS on or off changes every member's peer and client URLs; done in place it would split the members
// between http and https and could lose quorum, so it is refused and the README gives the path through a restore.
@ValidationRule(value = "has(oldSelf.tls) == has(self.tls)",
        message = "spec.tls cannot be added to or removed from an existing cluster: back it up and restore the backup into a new EtcdCluster with the TLS you want (README: Turning TLS on or off)")
@ValidationRule(value = "!has(self.tls) || !has(oldSelf.tls) || self.tls == oldSelf.tls",
        message = "spec.tls cannot be changed after creation: renew or replace certificates inside the Secrets already in use (README: TLS)")
@ValidationRule(value = "!has(self.bootstrap) || !has(self.bootstrap.join) || !has(self.bootstrap.join.peerAddressing)"
        + " || self.bootstrap.join.peerAddressing != 'PodIP' || !has(self.tls) || !has(self.tls.peer)",
        message = "spec.bootstrap.join.peerAddressing PodIP cannot be combined with spec.tls.peer: the peer certificates are issued before"
                + " the pods exist and cannot name their IPs")
// etcd 3.6 removed the v2 store and the v2 proxy ("Flags removed" in its v3.5->v3.6 upgrade guide).
@ValidationRule(value = "!has(self.version) || int(self.version.split('.')[1]) >= 5 || !has(self.bootstrap) || !has(self.bootstrap.restore)"
        + " || (!has(self.bootstrap.restore.revision) && !has(self.bootstrap.restore.time))",
        message = "spec.bootstrap.restore: etcd 3.4 restores full snapshots only (the changes after one are replayed by etcd 3.5);"
                + " leave out revision and time")
@ValidationRule(value = "!has(self.version) || int(self.version.split('.')[1]) < 6 || !has(self.etcd) || !has(self.etcd.extraArgs)"
        + " || self.etcd.extraArgs.all(k, !(k in ['enable-v2', 'experimental-enable-v2v3', 'proxy', 'proxy-failure-wait',"
        + " 'proxy-refresh-interval', 'proxy-dial-timeout', 'proxy-write-timeout', 'proxy-read-timeout']))",
        message = "spec.etcd.extraArgs must not set enable-v2, experimental-enable-v2v3 or proxy keys from etcd 3.6 on: etcd 3.6 removed"
                + " the v2 store and the v2 proxy")
public class EtcdClusterSpec {
    public static final String DEFAULT_VERSION = "3.5.30";

    @JsonPropertyDescription("Number of etcd members, 1 to 9. Odd counts tolerate (n-1)/2 failures; an even count adds no fault tolerance and is reported with a warning condition. Changed one member at a time through the learner loop.")
    @SpecReplicas
    @Default("3")
    @Min(1)
    @Max(9)
    @ValidationRule(value = "self >= 1 && self <= 9", message = "replicas must be between 1 and 9")
    private Integer replicas = 3;

    @JsonPropertyDescription("etcd version (3.4.x or later, learners need 3.4). Upgrades go one minor version at a time and never downgrade; members restart one at a time, the leader last.")
    @Default(DEFAULT_VERSION)
    @Pattern("^3\\.[4-9]\\.(0|[1-9][0-9]{0,2})$")
    @Size(max = 16)
    @ValidationRule(value = "int(self.split('.')[1]) > int(oldSelf.split('.')[1]) || (int(self.split('.')[1]) == int(oldSelf.split('.')[1]) && int(self.split('.')[2]) >= int(oldSelf.split('.')[2]))",
            message = "spec.version must not be downgraded")
    @ValidationRule(value = "int(self.split('.')[1]) <= int(oldSelf.split('.')[1]) + 1",
            message = "spec.version must not skip a minor version: upgrade one minor version at a time")
    private String version = DEFAULT_VERSION;

    @JsonPropertyDescription("Full etcd container image, overriding the upstream image for spec.version. spec.version must still name the etcd version inside it (upgrade rules use it); etcd must be at /usr/local/bin/etcd.")
    @Size(max = 512)
    private String image;

    @JsonPropertyDescription("Persistent storage of each member's data dir.")
    // Defaulted so that its rules also run on an update that leaves storage out (which would otherwise shrink it to 10Gi).
    @Default("{}")
    private StorageSpec storage = new StorageSpec();

    @JsonPropertyDescription("Compute resources of the etcd container. Default: requests cpu 100m and memory 256Mi, no limits: a floor that lets five members share a small node. etcd is latency sensitive: size it to your load in production.")
    private ResourceRequirements resources;

    @JsonPropertyDescription("etcd server tuning.")
    private EtcdTuningSpec etcd = new EtcdTuningSpec();

    @JsonPropertyDescription("Scheduling and metadata of the member pods.")
    private PodTemplateSpec podTemplate;

    @JsonPropertyDescription("TLS for peer and client traffic. Fixed at creation.")
    private TlsSpec tls;

    @JsonPropertyDescription("Scheduled backups.")
    private BackupSpec backup;

    @JsonPropertyDescription("Scheduled defragmentation.")
    private DefragSpec defrag;

    @JsonPropertyDescription("Keep a StorageOSCluster's spec.kvBackend.address pointing at this cluster.")
    private StorageOSSpec storageos;

    @JsonPropertyDescription("How a new cluster is seeded. Immutable.")
    private BootstrapSpec bootstrap;

    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public StorageSpec getStorage() { return storage; }
    public void setStorage(StorageSpec storage) { this.storage = storage; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }
    public EtcdTuningSpec getEtcd() { return etcd; }
    public void setEtcd(EtcdTuningSpec etcd) { this.etcd = etcd; }
    public PodTemplateSpec getPodTemplate() { return podTemplate; }
    public void setPodTemplate(PodTemplateSpec podTemplate) { this.podTemplate = podTemplate; }
    public TlsSpec getTls() { return tls; }
    public void setTls(TlsSpec tls) { this.tls = tls; }
    public BackupSpec getBackup() { return backup; }
    public void setBackup(BackupSpec backup) { this.backup = backup; }
    public DefragSpec getDefrag() { return defrag; }
    public void setDefrag(DefragSpec defrag) { this.defrag = defrag; }
    public StorageOSSpec getStorageos() { return storageos; }
    public void setStorageos(StorageOSSpec storageos) { this.storageos = storageos; }
    public BootstrapSpec getBootstrap() { return bootstrap; }
    public void setBootstrap(BootstrapSpec bootstrap) { this.bootstrap = bootstrap; }
}

package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EtcdClusterStatus {
    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready, Available (quorum holds), Progressing, Degraded, and feature conditions.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Members as etcd reports them, in ordinal order.")
    private List<MemberStatus> members = new ArrayList<>();

    @JsonPropertyDescription("Number of voting members.")
    @StatusReplicas
    private Integer replicas;

    @JsonPropertyDescription("Number of voting members that are healthy.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Healthy voters / spec.replicas, such as 3/5 during a scale from 3 to 5: the MEMBERS column.")
    private String membersSummary;

    @JsonPropertyDescription("Label selector of the member pods, for the scale subresource.")
    @LabelSelector
    private String selector;

    @JsonPropertyDescription("The lowest etcd server version a member reports (members[].version), compared by number. During a rollout"
            + " it rises only once every member reports the newer one; admission reads it before a move to etcd 3.6.")
    private String currentVersion;

    @JsonPropertyDescription("etcd's cluster version as a member reports it (GET /version, etcdcluster): major.minor.0 of the protocol the"
            + " members speak. It moves to a new minor only once every member runs that minor; until then the cluster can go back.")
    private String clusterVersion;

    @JsonPropertyDescription("Name of the leader member.")
    private String leader;

    @JsonPropertyDescription("etcd cluster ID in hex, set once the cluster has formed. A cluster is never bootstrapped twice.")
    private String clusterId;

    @JsonPropertyDescription("Client URLs of the voting, healthy members.")
    private List<String> clientEndpoints;

    @JsonPropertyDescription("Long operations under way, one entry per operation (a list map keyed by operation): a learner's raft"
            + " index against the leader's, a rollout's members on the new template, a restored member's database bytes; absent when none is. A backup's and a"
            + " defragmentation's bytes are known when they end: lastBackup, lastDefrag.")
    private List<ProgressStatus> progress;

    @JsonPropertyDescription("The membership change in flight, written before the change acts so that a restarted operator resumes or rolls it back.")
    private PendingChange pendingChange;

    @JsonPropertyDescription("The last member pod the operator restarted, recorded before the eviction or delete.")
    private PodRestartStatus lastRestart;

    @JsonPropertyDescription("The last promotion, leader move, peer URL update or StatefulSet replica change, recorded before it was made.")
    private ActionStatus lastAction;

    @JsonPropertyDescription("Outcome of the last successful backup.")
    private BackupStatus lastBackup;

    @JsonPropertyDescription("The backup agent's recovery point (spec.backup.continuous), written by the agent itself.")
    private ContinuousBackupStatus continuousBackup;

    @JsonPropertyDescription("Outcome of the last defragmentation run.")
    private DefragStatus lastDefrag;

    @JsonPropertyDescription("What was last written to the StorageOSCluster.")
    private StorageOSSyncStatus storageos;

    @JsonPropertyDescription("The last request to recover after quorum was lost (from the surviving members, or from a backup), and its outcome.")
    private RecoveryStatus recovery;

    @JsonPropertyDescription("spec.bootstrap.restore: what member 0 restored (the revision, and whether the replay reached its"
            + " target), recorded when the cluster formed.")
    private BootstrapStatus bootstrap;

    @JsonPropertyDescription("The certificates of spec.tls and when they expire; absent without TLS.")
    private TlsStatus tls;
    @JsonPropertyDescription("A migration from an external etcd cluster (spec.bootstrap.join): its plan and progress.")
    private MigrationStatus migration;

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public List<MemberStatus> getMembers() { return members; }
    public void setMembers(List<MemberStatus> members) { this.members = members; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public String getMembersSummary() { return membersSummary; }
    public void setMembersSummary(String membersSummary) { this.membersSummary = membersSummary; }
    public Integer getReadyReplicas() { return readyReplicas; }
    public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
    public String getSelector() { return selector; }
    public void setSelector(String selector) { this.selector = selector; }
    public String getCurrentVersion() { return currentVersion; }
    public void setCurrentVersion(String currentVersion) { this.currentVersion = currentVersion; }
    public String getClusterVersion() { return clusterVersion; }
    public void setClusterVersion(String clusterVersion) { this.clusterVersion = clusterVersion; }
    public String getLeader() { return leader; }
    public void setLeader(String leader) { this.leader = leader; }
    public String getClusterId() { return clusterId; }
    public void setClusterId(String clusterId) { this.clusterId = clusterId; }
    public List<String> getClientEndpoints() { return clientEndpoints; }
    public void setClientEndpoints(List<String> clientEndpoints) { this.clientEndpoints = clientEndpoints; }
    public List<ProgressStatus> getProgress() { return progress; }
    public void setProgress(List<ProgressStatus> progress) { this.progress = progress; }
    public PendingChange getPendingChange() { return pendingChange; }
    public void setPendingChange(PendingChange pendingChange) { this.pendingChange = pendingChange; }
    public ActionStatus getLastAction() { return lastAction; }
    public void setLastAction(ActionStatus lastAction) { this.lastAction = lastAction; }
    public PodRestartStatus getLastRestart() { return lastRestart; }
    public void setLastRestart(PodRestartStatus lastRestart) { this.lastRestart = lastRestart; }
    public BootstrapStatus getBootstrap() { return bootstrap; }
    public void setBootstrap(BootstrapStatus bootstrap) { this.bootstrap = bootstrap; }
    public RecoveryStatus getRecovery() { return recovery; }
    public void setRecovery(RecoveryStatus recovery) { this.recovery = recovery; }
    public ContinuousBackupStatus getContinuousBackup() { return continuousBackup; }
    public void setContinuousBackup(ContinuousBackupStatus continuousBackup) { this.continuousBackup = continuousBackup; }
    public BackupStatus getLastBackup() { return lastBackup; }
    public void setLastBackup(BackupStatus lastBackup) { this.lastBackup = lastBackup; }
    public DefragStatus getLastDefrag() { return lastDefrag; }
    public void setLastDefrag(DefragStatus lastDefrag) { this.lastDefrag = lastDefrag; }
    public TlsStatus getTls() { return tls; }
    public void setTls(TlsStatus tls) { this.tls = tls; }
    public StorageOSSyncStatus getStorageos() { return storageos; }
    public void setStorageos(StorageOSSyncStatus storageos) { this.storageos = storageos; }
    public MigrationStatus getMigration() { return migration; }
    public void setMigration(MigrationStatus migration) { this.migration = migration; }
}

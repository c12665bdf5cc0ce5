package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MemberStatus {
    @JsonPropertyDescription("Member (and pod) name; empty for a member that was added but has not started yet.")
    private String name;
    @JsonPropertyDescription("etcd member ID in hex.")
    private String id;
    @JsonPropertyDescription("Voter or Learner.")
    private String role;
    private Boolean leader;
    private Boolean healthy;
    private String version;
    @JsonPropertyDescription("Bytes of the backend file on disk.")
    private Long dbSize;
    @JsonPropertyDescription("Bytes in use; dbSize - dbSizeInUse is what defragmentation reclaims.")
    private Long dbSizeInUse;
    private String peerURL;
    private String clientURL;
    @JsonPropertyDescription("Copies of this member's data moved aside on its volume, as its bootstrap last reported; absent when none.")
    private MovedAsideStatus movedAside;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getRole() { return role; }
    public void setRole(String role) { this.role = role; }
    public Boolean getLeader() { return leader; }
    public void setLeader(Boolean leader) { this.leader = leader; }
    public Boolean getHealthy() { return healthy; }
    public void setHealthy(Boolean healthy) { this.healthy = healthy; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public Long getDbSize() { return dbSize; }
    public void setDbSize(Long dbSize) { this.dbSize = dbSize; }
    public Long getDbSizeInUse() { return dbSizeInUse; }
    public void setDbSizeInUse(Long dbSizeInUse) { this.dbSizeInUse = dbSizeInUse; }
    public String getPeerURL() { return peerURL; }
    public void setPeerURL(String peerURL) { this.peerURL = peerURL; }
    public MovedAsideStatus getMovedAside() { return movedAside; }
    public void setMovedAside(MovedAsideStatus movedAside) { this.movedAside = movedAside; }
    public String getClientURL() { return clientURL; }
    public void setClientURL(String clientURL) { this.clientURL = clientURL; }
}

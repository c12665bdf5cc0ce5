package com.storageos.etcd.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Defragmentation blocks one member while it runs: members go one at a time, followers first, the leader last. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DefragSpec {
    /** Also what the members' liveness budget outlasts when spec.defrag is not set. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 300;

    @JsonPropertyDescription("Cron schedule of the defrag CronJob, for example '0 3 * * *' (nightly).")
    @Required
    @Size(max = 64)
    @Pattern("^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\\S+\\s+){4}\\S+)$")
    private String schedule;

    @JsonPropertyDescription("Stop scheduling defragmentation without deleting the CronJob.")
    @Default("false")
    private Boolean suspend = false;

    @JsonPropertyDescription("Report what would be defragmented without doing it.")
    @Default("false")
    private Boolean dryRun = false;

    @JsonPropertyDescription("Defragment a member when its free bytes (dbSize - dbSizeInUse) exceed this. Default 200 MiB.")
    @Default("209715200")
    @Min(0)
    private Long minFreeBytes = 209715200L;

    @JsonPropertyDescription("...or when its free ratio ((dbSize - dbSizeInUse) / dbSize) exceeds this. Default 0.5.")
    @Default("0.5")
    @Min(0)
    @Max(1)
    private Double minFreeRatio = 0.5;

    @JsonPropertyDescription("...or when dbSize exceeds this fraction of the quota. Default 0.8.")
    @Default("0.8")
    @Min(0)
    @Max(1)
    private Double maxQuotaUsage = 0.8;

    @JsonPropertyDescription("Give up on a member whose defragmentation takes longer than this many seconds. The members' liveness probe tolerates this long without an answer (a member under defrag answers no health check), so a change restarts the members one at a time.")
    @Default("300")
    @Min(1)
    private Integer timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

    @JsonPropertyDescription("Compute resources of the defrag container. Default: requests cpu 50m and memory 128Mi, limit memory 512Mi.")
    private ResourceRequirements resources;

    public String getSchedule() { return schedule; }
    public void setSchedule(String schedule) { this.schedule = schedule; }
    public Boolean getSuspend() { return suspend; }
    public void setSuspend(Boolean suspend) { this.suspend = suspend; }
    public Boolean getDryRun() { return dryRun; }
    public void setDryRun(Boolean dryRun) { this.dryRun = dryRun; }
    public Long getMinFreeBytes() { return minFreeBytes; }
    public void setMinFreeBytes(Long minFreeBytes) { this.minFreeBytes = minFreeBytes; }
    public Double getMinFreeRatio() { return minFreeRatio; }
    public void setMinFreeRatio(Double minFreeRatio) { this.minFreeRatio = minFreeRatio; }
    public Double getMaxQuotaUsage() { return maxQuotaUsage; }
    public void setMaxQuotaUsage(Double maxQuotaUsage) { this.maxQuotaUsage = maxQuotaUsage; }
    public Integer getTimeoutSeconds() { return timeoutSeconds; }
    public void setTimeoutSeconds(Integer timeoutSeconds) { this.timeoutSeconds = timeoutSeconds; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }
}

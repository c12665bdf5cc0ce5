package com.storageos.etcd.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DefragStatus {
    private String time;
    private Boolean dryRun;
    private String outcome;
    private List<MemberDefrag> members = new ArrayList<>();

    public String getTime() { return time; }
    public void setTime(String time) { this.time = time; }
    public Boolean getDryRun() { return dryRun; }
    public void setDryRun(Boolean dryRun) { this.dryRun = dryRun; }
    public String getOutcome() { return outcome; }
    public void setOutcome(String outcome) { this.outcome = outcome; }
    public List<MemberDefrag> getMembers() { return members; }
    public void setMembers(List<MemberDefrag> members) { this.members = members; }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class MemberDefrag {
        private String name;
        private Long beforeBytes;
        private Long afterBytes;
        private Long durationMillis;
        private String outcome;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public Long getBeforeBytes() { return beforeBytes; }
        public void setBeforeBytes(Long beforeBytes) { this.beforeBytes = beforeBytes; }
        public Long getAfterBytes() { return afterBytes; }
        public void setAfterBytes(Long afterBytes) { this.afterBytes = afterBytes; }
        public Long getDurationMillis() { return durationMillis; }
        public void setDurationMillis(Long durationMillis) { this.durationMillis = durationMillis; }
        public String getOutcome() { return outcome; }
        public void setOutcome(String outcome) { this.outcome = outcome; }
    }
}

package com.storageos.etcd.tool.defrag;

import com.storageos.etcd.api.v1alpha1.spec.DefragSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which members to defragment, and in what order. Pure: a member's state in, a plan out.
 * Defragmentation blocks the member while it runs, so it only starts when every member is healthy,
 * goes one member at a time, followers first and the leader last (a blocked leader stalls every write).
 */
public final class DefragPlan {
    /** etcd's NOSPACE alarm is only cleared once every member is back under this share of the quota. */
    public static final double NOSPACE_CLEAR_RATIO = 0.9;

    public record MemberState(String name, String clientUrl, boolean leader, boolean healthy, long dbSize, long dbSizeInUse) {
        public long freeBytes() {
            return Math.max(0, dbSize - dbSizeInUse);
        }
    }

    /** The spec's rule: free bytes over a threshold, or free ratio over one, or quota use over one. */
    public record Rule(long minFreeBytes, double minFreeRatio, double maxQuotaUsage, long quotaBytes) {
        public static Rule of(DefragSpec spec, long quotaBytes) {
            return new Rule(spec.getMinFreeBytes(), spec.getMinFreeRatio(), spec.getMaxQuotaUsage(), quotaBytes);
        }

        /** Why this member needs defragmenting, or empty if it does not. */
        public Optional<String> reason(MemberState m) {
            if (m.freeBytes() > minFreeBytes) {
                return Optional.of("free " + m.freeBytes() + " B > " + minFreeBytes + " B");
            }
            if (m.dbSize() > 0 && (double) m.freeBytes() / m.dbSize() > minFreeRatio) {
                return Optional.of(String.format("free ratio %.2f > %.2f", (double) m.freeBytes() / m.dbSize(), minFreeRatio));
            }
            if (quotaBytes > 0 && (double) m.dbSize() / quotaBytes > maxQuotaUsage) {
                return Optional.of(String.format("quota use %.2f > %.2f", (double) m.dbSize() / quotaBytes, maxQuotaUsage));
            }
            return Optional.empty();
        }
    }

    /** {@code blocked}: why nothing may run (empty when it may); {@code targets}: in defragmentation order. */
    public record Plan(Optional<String> blocked, List<MemberState> targets, List<MemberState> untouched) {
    }

    private DefragPlan() {
    }

    public static Plan plan(List<MemberState> members, Rule rule) {
        List<String> unhealthy = members.stream().filter(m -> !m.healthy()).map(MemberState::name).toList();
        if (members.isEmpty() || !unhealthy.isEmpty()) {
            String why = members.isEmpty() ? "no members found" : "not every member is healthy: " + unhealthy;
            return new Plan(Optional.of(why), List.of(), List.copyOf(members));
        }
        List<MemberState> targets = new ArrayList<>();
        List<MemberState> untouched = new ArrayList<>();
        for (MemberState m : members) {
            (rule.reason(m).isPresent() ? targets : untouched).add(m);
        }
        targets.sort(Comparator.comparing(MemberState::leader).thenComparing(MemberState::name));
        return new Plan(Optional.empty(), List.copyOf(targets), List.copyOf(untouched));
    }

    /** True when a NOSPACE alarm may be cleared: every member's db is under 90 % of the quota. */
    public static boolean spaceIsBack(List<Long> dbSizes, long quotaBytes) {
        return dbSizes.stream().allMatch(size -> size < NOSPACE_CLEAR_RATIO * quotaBytes);
    }
}

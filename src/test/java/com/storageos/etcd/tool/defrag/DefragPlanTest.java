package com.storageos.etcd.tool.defrag;

import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.tool.defrag.DefragPlan.MemberState;
import com.storageos.etcd.tool.defrag.DefragPlan.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefragPlanTest {
    static final long MIB = 1024 * 1024;
    static final Rule RULE = new Rule(200 * MIB, 0.5, 0.8, 1000 * MIB);

    static MemberState m(String name, boolean leader, long size, long inUse) {
        return new MemberState(name, "http://" + name, leader, true, size, inUse);
    }

    @Test
    void eachClauseOfTheRuleSelectsOnItsOwn() {
        assertThat(RULE.reason(m("a", false, 500 * MIB, 250 * MIB))).get().asString().startsWith("free 262144000");
        assertThat(RULE.reason(m("b", false, 100 * MIB, 40 * MIB))).get().asString().startsWith("free ratio 0.60");
        assertThat(RULE.reason(m("c", false, 850 * MIB, 800 * MIB))).get().asString().startsWith("quota use 0.85");
        assertThat(RULE.reason(m("d", false, 300 * MIB, 250 * MIB))).isEmpty();
        assertThat(RULE.reason(m("e", false, 0, 0))).isEmpty();
    }

    @Test
    void followersGoFirstAndTheLeaderLast() {
        List<MemberState> members = List.of(m("m0", true, 100 * MIB, 10 * MIB), m("m2", false, 100 * MIB, 10 * MIB),
                m("m1", false, 100 * MIB, 10 * MIB), m("m3", false, 100 * MIB, 90 * MIB));
        DefragPlan.Plan plan = DefragPlan.plan(members, RULE);
        assertThat(plan.blocked()).isEmpty();
        assertThat(plan.targets()).extracting(MemberState::name).containsExactly("m1", "m2", "m0");
        assertThat(plan.untouched()).extracting(MemberState::name).containsExactly("m3");
    }

    @Test
    void anUnhealthyMemberBlocksEverything() {
        List<MemberState> members = List.of(m("m0", true, 100 * MIB, 10 * MIB),
                new MemberState("m1", "u", false, false, 100 * MIB, 10 * MIB));
        DefragPlan.Plan plan = DefragPlan.plan(members, RULE);
        assertThat(plan.blocked()).get().asString().contains("m1");
        assertThat(plan.targets()).isEmpty();
        assertThat(DefragPlan.plan(List.of(), RULE).blocked()).isPresent();
    }

    @Test
    void nospaceClearsOnlyWhenEveryMemberIsUnderNinetyPercent() {
        assertThat(DefragPlan.spaceIsBack(List.of(100L, 899L), 1000)).isTrue();
        assertThat(DefragPlan.spaceIsBack(List.of(100L, 900L), 1000)).isFalse();
    }
}

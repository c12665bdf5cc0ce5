package com.storageos.etcd.status;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;

/**
 * One condition's value before it is stamped with times and generations.
 *
 * @param status  True; false for False or Unknown
 * @param unknown the operator cannot tell (written as status Unknown)
 */
record ConditionVerdict(boolean status, boolean unknown, ConditionReason reason, String message) {
    static ConditionVerdict yes(ConditionReason reason, String message) {
        return new ConditionVerdict(true, false, reason, message);
    }

    static ConditionVerdict no(ConditionReason reason, String message) {
        return new ConditionVerdict(false, false, reason, message);
    }

    static ConditionVerdict unknown(ConditionReason reason, String message) {
        return new ConditionVerdict(false, true, reason, message);
    }

    String statusText() {
        return unknown ? Conditions.UNKNOWN : status ? "True" : "False";
    }
}

package com.storageos.etcd.status;

import com.storageos.etcd.api.v1alpha1.status.ConditionReason;

/** One condition's value before it is stamped with times and generations. */
record ConditionVerdict(boolean status, ConditionReason reason, String message) {
    static ConditionVerdict yes(ConditionReason reason, String message) {
        return new ConditionVerdict(true, reason, message);
    }

    static ConditionVerdict no(ConditionReason reason, String message) {
        return new ConditionVerdict(false, reason, message);
    }
}

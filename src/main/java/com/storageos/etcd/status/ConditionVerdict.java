package com.storageos.etcd.status;

/** One condition's value before it is stamped with times and generations. */
record ConditionVerdict(boolean status, String reason, String message) {
    static ConditionVerdict yes(String reason, String message) {
        return new ConditionVerdict(true, reason, message);
    }

    static ConditionVerdict no(String reason, String message) {
        return new ConditionVerdict(false, reason, message);
    }
}

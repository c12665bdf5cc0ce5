package com.storageos.etcd.etcdclient;

/** An active etcd alarm on one member, for example {@code NOSPACE} when the db hit its quota. */
public record EtcdAlarm(long memberId, String type) {
    public static final String NOSPACE = "NOSPACE";
}

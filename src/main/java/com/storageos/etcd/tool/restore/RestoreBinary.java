package com.storageos.etcd.tool.restore;

import com.storageos.etcd.membership.EtcdVersion;
import java.util.Map;

/**
 * Which program lays out a restored data dir. etcd 3.5 moved {@code snapshot restore} to {@code etcdutl} and
 * deprecated it in etcdctl; 3.6 removed it from etcdctl. So 3.5 and later use etcdutl, 3.4 (which has no
 * etcdutl) uses etcdctl. Both take the same restore flags. The image ships both; ETCDUTL or ETCDCTL in the
 * environment point elsewhere.
 */
public record RestoreBinary(String path) {
    public static final String DEFAULT_ETCDCTL = "/usr/local/bin/etcdctl";
    public static final String DEFAULT_ETCDUTL = "/usr/local/bin/etcdutl";

    public static RestoreBinary forVersion(String etcdVersion, Map<String, String> env) {
        // etcdutl restores from 3.5 on; an unknown release is taken to be current.
        boolean etcdutl = EtcdVersion.parse(etcdVersion).map(v -> v.atLeast(3, 5)).orElse(true);
        return etcdutl ? new RestoreBinary(env.getOrDefault("ETCDUTL", DEFAULT_ETCDUTL))
                : new RestoreBinary(env.getOrDefault("ETCDCTL", DEFAULT_ETCDCTL));
    }
}

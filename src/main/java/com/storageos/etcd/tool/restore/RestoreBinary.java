package com.storageos.etcd.tool.restore;

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
        String[] parts = etcdVersion == null ? new String[0] : etcdVersion.split("\\.");
        boolean etcdutl = parts.length < 2 || Integer.parseInt(parts[0]) > 3 || Integer.parseInt(parts[1]) >= 5;
        return etcdutl ? new RestoreBinary(env.getOrDefault("ETCDUTL", DEFAULT_ETCDUTL))
                : new RestoreBinary(env.getOrDefault("ETCDCTL", DEFAULT_ETCDCTL));
    }
}

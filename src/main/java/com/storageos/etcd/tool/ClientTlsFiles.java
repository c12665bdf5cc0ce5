package com.storageos.etcd.tool;

import com.storageos.etcd.desired.TlsLayout;
import com.storageos.etcd.etcdclient.ClientTls;
import com.storageos.etcd.toolcontract.ToolEnv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The client certificate a tool pod mounts from the cluster's client Secret, read fresh at each run so a renewal applies. */
public final class ClientTlsFiles {
    private ClientTlsFiles() {
    }

    /** Null when the tool's endpoints are plain http ({@link ToolEnv#TLS_DIR} unset). */
    public static ClientTls read(Map<String, String> env) {
        String dir = env.get(ToolEnv.TLS_DIR);
        if (dir == null || dir.isBlank()) {
            return null;
        }
        Path base = Path.of(dir);
        try {
            return new ClientTls(Files.readString(base.resolve(TlsLayout.CA_FILE)), Files.readString(base.resolve(TlsLayout.CERT_FILE)),
                    Files.readString(base.resolve(TlsLayout.KEY_FILE)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the etcd client certificate from " + dir, e);
        }
    }
}

package com.storageos.etcd.desired;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.spec.ClientTlsSpec;
import com.storageos.etcd.api.v1alpha1.spec.TlsEndpointSpec;
import com.storageos.etcd.api.v1alpha1.spec.TlsSpec;
import com.storageos.etcd.naming.ClusterNames;
import com.storageos.etcd.toolcontract.MemberPaths;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Which Secret holds each certificate of a cluster: the user's, or the operator's generated one. A null name
 * means that side runs without TLS. Every Secret has {@code ca.crt}, {@code tls.crt} and {@code tls.key}.
 *
 * @param peerSecret   the members' certificate on the peer port (server and client use)
 * @param serverSecret the members' certificate on the client port
 * @param clientSecret the certificate StorageOS, the operator and the tools present on the client port
 */
public record TlsLayout(String peerSecret, String serverSecret, String clientSecret, boolean peerGenerated, boolean clientGenerated) {
    public static final String CA_FILE = "ca.crt";
    public static final String CERT_FILE = "tls.crt";
    public static final String KEY_FILE = "tls.key";
    private static final String PEER_VOLUME = "tls-peer";
    private static final String SERVER_VOLUME = "tls-server";
    private static final String CLIENT_VOLUME = "tls-client";

    /** Plain http on both ports. */
    public static final TlsLayout NONE = new TlsLayout(null, null, null, false, false);

    public static TlsLayout of(EtcdCluster cluster) {
        ClusterNames names = ClusterNamesOf.of(cluster);
        TlsSpec tls = cluster.getSpec().getTls();
        TlsEndpointSpec peer = tls == null ? null : tls.getPeer();
        ClientTlsSpec client = tls == null ? null : tls.getClient();
        boolean peerGenerated = peer != null && blank(peer.getSecretName());
        boolean clientGenerated = client != null && blank(client.getSecretName());
        return new TlsLayout(
                peer == null ? null : peerGenerated ? names.tlsPeerSecret() : peer.getSecretName(),
                client == null ? null : clientGenerated ? names.tlsServerSecret() : client.getSecretName(),
                client == null ? null : clientGenerated ? names.tlsClientSecret() : client.getClientSecretName(),
                peerGenerated, clientGenerated);
    }

    public boolean peer() {
        return peerSecret != null;
    }

    public boolean client() {
        return serverSecret != null;
    }

    /** The member pod's Secret volumes. */
    public List<Volume> memberVolumes() {
        List<Volume> volumes = new ArrayList<>();
        if (peer()) {
            volumes.add(secretVolume(PEER_VOLUME, peerSecret));
        }
        if (client()) {
            volumes.add(secretVolume(SERVER_VOLUME, serverSecret));
        }
        return volumes;
    }

    /** Mounted into the etcd container only: the init container never talks to etcd. */
    public List<VolumeMount> memberMounts() {
        List<VolumeMount> mounts = new ArrayList<>();
        if (peer()) {
            mounts.add(mount(PEER_VOLUME, MemberPaths.TLS_PEER_DIR));
        }
        if (client()) {
            mounts.add(mount(SERVER_VOLUME, MemberPaths.TLS_SERVER_DIR));
        }
        return mounts;
    }

    public List<Volume> toolVolumes() {
        return client() ? List.of(secretVolume(CLIENT_VOLUME, clientSecret)) : List.of();
    }

    public List<VolumeMount> toolMounts() {
        return client() ? List.of(mount(CLIENT_VOLUME, MemberPaths.TLS_CLIENT_DIR)) : List.of();
    }

    private static Volume secretVolume(String name, String secret) {
        // Group-readable only: etcd and the tools run as a non-root user in the pod's fsGroup, which the kubelet gives the files.
        return new VolumeBuilder().withName(name).withNewSecret().withSecretName(secret).withDefaultMode(0440).endSecret().build();
    }

    private static VolumeMount mount(String name, String path) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(true).build();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

package com.storageos.etcd.reconciler.etcdcluster.members;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * Whether any member's client port may answer. When every one refuses the connection (or its name does not resolve:
 * no pod), a member list would only retry the refusals until its deadline (etcd-call-timeout, 5 s), and each reconcile
 * of a cluster whose members are all down (a full stop, a quorum loss, a restore) would wait that out. A connection
 * that neither opens nor is refused within {@link #CONNECT} may be a slow path, not an absent member, so it counts as
 * answering and the member list decides.
 */
final class ListeningMembers {
    static final Duration CONNECT = Duration.ofMillis(300);

    private ListeningMembers() {
    }

    static boolean any(List<String> clientUrls) {
        return clientUrls.stream().anyMatch(ListeningMembers::mayAnswer);
    }

    static boolean mayAnswer(String clientUrl) {
        URI uri = URI.create(clientUrl);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) CONNECT.toMillis());
            return true;
        } catch (ConnectException | NoRouteToHostException | UnknownHostException refused) {
            return false;
        } catch (SocketTimeoutException slow) {
            return true;
        } catch (IOException | IllegalArgumentException other) {
            return true; // not known to be absent: the member list says what is wrong
        }
    }
}

package com.storageos.etcd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports, each handed out once per JVM. A process reserved for later binds its ports only when it
 * starts, so the kernel may offer them again meanwhile: a second reserved member once got the first one's peer
 * port, and etcd answered "Peer URLs already exists".
 */
public final class FreshPorts {
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreshPorts() {
    }

    public static synchronized int take() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

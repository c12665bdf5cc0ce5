package com.storageos.etcd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Free loopback ports, each handed out once on this machine while the JVM runs. A process reserved for later binds its
 * ports only when it starts, so a port the kernel offered as free may be offered again meanwhile: to this JVM (a second
 * reserved member once got the first one's peer port, and etcd answered "Peer URLs already exists"), to another test
 * JVM (the failsafe forks), or as the source port of an outgoing connection.
 * <p>
 * So ports come from below the kernel's ephemeral range, which it never hands out by itself, in blocks: each JVM holds
 * an OS file lock on the blocks it uses (released when it exits, even by kill -9), and counts up inside them, skipping
 * a port something else is bound to.
 */
public final class FreshPorts {
    private static final int FIRST = 10_000;
    private static final int BLOCK = 1_000;
    private static final int BLOCKS = 22; // up to 31999: the ephemeral range starts at 32768
    private static final Path LOCKS = Path.of(System.getProperty("java.io.tmpdir"), "etcd-operator-test-ports");
    /** Every block's lock, referenced until exit: a lock whose channel is collected is released. */
    private static final List<FileLock> HELD = new ArrayList<>();
    private static int next;
    private static int end;

    private FreshPorts() {
    }

    public static synchronized int take() {
        while (true) {
            if (next >= end) {
                claimBlock();
            }
            int port = next++;
            if (bindable(port)) {
                return port;
            }
        }
    }

    /** The next block no other JVM holds; the one used up stays locked until exit, so nobody else starts on it. */
    private static void claimBlock() {
        try {
            Files.createDirectories(LOCKS);
            int from = HELD.isEmpty() ? 0 : (next - FIRST) / BLOCK;
            for (int i = 0; i < BLOCKS; i++) {
                int block = (from + i) % BLOCKS;
                FileChannel channel = FileChannel.open(LOCKS.resolve(block + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    HELD.add(lock);
                    next = FIRST + block * BLOCK;
                    end = next + BLOCK;
                    return;
                }
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("every block of test ports (" + FIRST + "-" + (FIRST + BLOCKS * BLOCK - 1) + ") is held by another JVM");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }
}

package com.storageos.etcd.etcdclient;

import com.storageos.etcd.testing.EtcdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** What the TLS tests on real etcd share: the directory the members read their certificates from, and asking a member over TLS. */
abstract class TlsDirFixture {
    static final Duration DAY = Duration.ofDays(1);
    @TempDir
    Path tls;

    static void restart(EtcdProcess member) {
        member.stop();
        member.restart();
        member.awaitHealthy();
    }

    /** Whether one member answers a status call made with this client certificate. */
    static boolean answers(EtcdProcess member, ClientTls clientTls) {
        try (EtcdAdmin admin = new JetcdEtcdAdminFactory(Duration.ofSeconds(3)).connect(List.of(member.clientUrl()), clientTls)) {
            return admin.status(member.clientUrl()) != null;
        } catch (EtcdAdminException e) {
            return false;
        }
    }

    /** Replaced atomically, as the kubelet swaps a Secret volume's files. */
    void write(String name, String pem) throws IOException {
        Path tmp = tls.resolve(name + ".new");
        Files.writeString(tmp, pem);
        Files.move(tmp, tls.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

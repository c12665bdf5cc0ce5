package com.storageos.etcd.etcdclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/** What the JetcdEtcdAdmin tests on real etcd share: the call deadline, the factory, and waiting for etcd to catch up. */
abstract class JetcdEtcdAdminFixture {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    /** Generous for a loaded machine; without a deadline the calls hang for as long as the endpoint is dead. */
    static final Duration WITHIN_DEADLINE = CALL_TIMEOUT.multipliedBy(3);
    final EtcdAdminFactory factory = new JetcdEtcdAdminFactory(CALL_TIMEOUT);

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    static EtcdAdminException.Kind kindOf(Runnable call) {
        EtcdAdminException e = catchThrowableOfType(EtcdAdminException.class, call::run);
        assertThat(e).as("expected an EtcdAdminException").isNotNull();
        if (e.kind() == EtcdAdminException.Kind.OTHER) {
            System.err.println("classified as OTHER: " + e.getMessage());
        }
        return e.kind();
    }

    static <T> T eventually(Duration timeout, Supplier<T> attempt) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return attempt.get();
            } catch (RuntimeException | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            sleep(100);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

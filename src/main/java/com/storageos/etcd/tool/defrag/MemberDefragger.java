package com.storageos.etcd.tool.defrag;

import com.storageos.etcd.api.v1alpha1.status.DefragStatus.MemberDefrag;
import com.storageos.etcd.etcdclient.EtcdAdmin;
import com.storageos.etcd.etcdclient.EtcdAdminException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/** Defragments one member within a deadline, then waits for it to answer health checks again. */
final class MemberDefragger {
    static final String DONE = "Defragmented";
    static final Duration HEALTH_WAIT = Duration.ofSeconds(30);

    private final EtcdAdmin admin;
    private final Duration timeout;

    MemberDefragger(EtcdAdmin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** The outcome is {@link #DONE} or a one-line failure; the caller stops at the first failure. */
    MemberDefrag defragment(DefragPlan.MemberState member) {
        MemberDefrag result = entry(member, member.dbSize());
        long start = System.nanoTime();
        try {
            CompletableFuture.runAsync(() -> admin.defragment(member.clientUrl())).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            awaitHealthy(member.clientUrl());
            result.setAfterBytes(admin.status(member.clientUrl()).dbSize());
            result.setOutcome(DONE);
        } catch (TimeoutException e) {
            result.setOutcome("TimedOut after " + timeout.toSeconds() + "s");
        } catch (ExecutionException | EtcdAdminException | IllegalStateException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            result.setOutcome("Failed: " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.setOutcome("Failed: interrupted");
        }
        result.setDurationMillis(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return result;
    }

    static MemberDefrag entry(DefragPlan.MemberState member, long before) {
        MemberDefrag m = new MemberDefrag();
        m.setName(member.name());
        m.setBeforeBytes(before);
        return m;
    }

    private void awaitHealthy(String url) {
        long deadline = System.nanoTime() + HEALTH_WAIT.toNanos();
        while (!admin.isHealthy(url)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not healthy within " + HEALTH_WAIT.toSeconds() + "s after defragmentation");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }
}

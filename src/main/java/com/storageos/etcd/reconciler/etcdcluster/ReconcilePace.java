package com.storageos.etcd.reconciler.etcdcluster;

import com.storageos.etcd.api.v1alpha1.EtcdCluster;
import com.storageos.etcd.api.v1alpha1.status.TlsStatus;
import com.storageos.etcd.reconciler.etcdcluster.certificates.CaRotations;
import com.storageos.etcd.tls.CaRotationPlanner.Phase;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When to reconcile a cluster again. A step that keeps failing is retried after 1 s, doubling to a cap, and goes
 * back to the step's own pace as soon as a step goes through. Kept per operator process; a new leader starts again
 * at 1 s. Steps that ask to go on at once are capped too: a few in a row run at once (record, act, apply), but a
 * cluster that keeps asking without ever reaching a step with a pace of its own waits {@link #FIRST} between
 * reconciles instead of spinning, since JOSDK's own retry back-off sees no failure there.
 */
final class ReconcilePace {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final int MAX_DOUBLINGS = 5; // 32 s
    static final Duration IMMEDIATE = Duration.ofMillis(10);
    static final int MAX_IMMEDIATE = 10;
    /** A journal write lost its compare-and-swap: plan again soon from what the other writer wrote. */
    static final Duration CONFLICT = StepExecutor.FAST;
    static final Duration PAUSED_RECHECK = Duration.ofSeconds(5);
    /**
     * etcd moving on its own (an alarm raised or disarmed, the cluster version rising after an upgrade) changes no
     * Kubernetes object, so nothing else would wake a reconcile to report it.
     */
    static final Duration ETCD_RECHECK = Duration.ofSeconds(5);
    /** Secrets are not watched (a user's carry none of our labels): a certificate being issued or fixed is looked for this often. */
    static final Duration TLS_RECHECK = Duration.ofSeconds(5);
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, Integer> immediates = new ConcurrentHashMap<>();

    /**
     * After a reconcile that acted and wrote the status.
     *
     * @param read     the cluster as the reconcile read it
     * @param written  the cluster as its status write left it
     * @param error    why the step or an apply failed, or null
     * @param stepPace when the step asked to be looked at again
     * @param rotated  a CA rotation phase was recorded (its stage acts on the next reconcile)
     * @param etcdMoving etcd has an alarm raised, or its cluster version has yet to follow its members' release
     */
    Duration next(EtcdCluster read, EtcdCluster written, String error, Duration stepPace, boolean rotated, TlsStatus tls, boolean etcdMoving) {
        String uid = read.getMetadata().getUid();
        Duration pace = error == null ? stepPace : failed(uid);
        if (error == null) {
            succeeded(uid);
        }
        // The spec changed while this reconcile ran (say a kubectl scale): the status write re-read it on
        // its conflict, and its event can be swallowed as our own, so look again now instead of at the resync.
        boolean specMoved = !Objects.equals(written.getMetadata().getGeneration(), read.getMetadata().getGeneration());
        Duration next;
        if (pace.isZero() || specMoved) {
            next = immediate(uid);
        } else {
            paced(uid);
            next = pace;
        }
        next = caRotation(next, rotated, tls);
        return etcdMoving && next.compareTo(ETCD_RECHECK) > 0 ? ETCD_RECHECK : next;
    }

    /**
     * At once after a CA rotation phase was recorded (its stage acts then), and at least every {@link #TLS_RECHECK} while
     * one is under way: nothing wakes a reconcile when a kubelet rewrites a Secret volume or a member starts serving the
     * new certificate.
     */
    private static Duration caRotation(Duration next, boolean moved, TlsStatus tls) {
        if (moved) {
            return StepExecutor.FAST;
        }
        boolean underWay = tls != null && CaRotations.phase(tls.getCaRotation()) != Phase.Completed;
        return underWay && next.compareTo(TLS_RECHECK) > 0 ? TLS_RECHECK : next;
    }

    /** Counts one more failure of the cluster with this UID; returns how long to wait before the retry. */
    Duration failed(String uid) {
        int streak = failures.merge(uid, 1, Integer::sum);
        return FIRST.multipliedBy(1L << Math.min(streak - 1, MAX_DOUBLINGS));
    }

    void succeeded(String uid) {
        failures.remove(uid);
    }

    /** One more step of the cluster with this UID that asks to go on at once; returns how long to wait. */
    Duration immediate(String uid) {
        return immediates.merge(uid, 1, Integer::sum) <= MAX_IMMEDIATE ? IMMEDIATE : FIRST;
    }

    /** A step with a pace of its own (a wait, the resync, a failure's back-off) ends a run of immediate ones. */
    void paced(String uid) {
        immediates.remove(uid);
    }
}

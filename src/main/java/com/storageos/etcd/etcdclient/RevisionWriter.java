package com.storageos.etcd.etcdclient;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes recorded revisions back into one member, one transaction per revision, so that etcd assigns each the same
 * revision it had (and with it the same create revision and version per key). Used on a restored member that no client
 * can reach yet.
 */
public final class RevisionWriter implements AutoCloseable {
    private final String url;
    private final ManagedChannel channel;
    private final Duration timeout;

    public RevisionWriter(String clientUrl, ClientTls tls, Duration timeout) {
        this.url = clientUrl;
        this.channel = MemberChannel.open(clientUrl, tls);
        this.timeout = timeout;
    }

    /** The member's current revision. */
    public long revision() {
        return call("range", () -> KVGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("\0")).setCountOnly(true).build()))
                .getHeader().getRevision();
    }

    /** True when a lease with this ID exists (granted, not yet expired). */
    public boolean leaseExists(long lease) {
        return call("lease time-to-live", () -> LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(lease).build())).getTTL() > 0;
    }

    /** Grants a lease with the given ID; etcd accepts a caller-chosen ID, so the restored keys keep theirs. */
    public void grantLease(long lease, long ttlSeconds) {
        call("lease grant", () -> LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .leaseGrant(LeaseGrantRequest.newBuilder().setID(lease).setTTL(ttlSeconds).build()));
    }

    /** The leases the member's keys are bound to, read a page of keys at a time. */
    public TreeSet<Long> leasesOfKeys() {
        TreeSet<Long> leases = new TreeSet<>();
        ByteString from = ByteString.copyFromUtf8("\0");
        while (true) {
            RangeRequest page = RangeRequest.newBuilder().setKey(from).setRangeEnd(ByteString.copyFromUtf8("\0"))
                    .setKeysOnly(true).setLimit(10_000).build();
            var got = call("range", () -> KVGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .range(page));
            got.getKvsList().stream().mapToLong(kv -> kv.getLease()).filter(l -> l != 0).forEach(leases::add);
            if (!got.getMore() || got.getKvsCount() == 0) {
                return leases;
            }
            from = got.getKvs(got.getKvsCount() - 1).getKey().concat(ByteString.copyFrom(new byte[] {0}));
        }
    }

    /** Renews each lease once, as a client's keep-alive does: its TTL starts over. */
    public void keepAlive(Collection<Long> leases) throws InterruptedException {
        if (leases.isEmpty()) {
            return;
        }
        CountDownLatch answered = new CountDownLatch(leases.size());
        AtomicReference<Throwable> failed = new AtomicReference<>();
        StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).leaseKeepAlive(new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse r) {
                        answered.countDown();
                    }

                    @Override
                    public void onError(Throwable t) {
                        failed.set(t);
                        while (answered.getCount() > 0) {
                            answered.countDown();
                        }
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        leases.forEach(id -> requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build()));
        requests.onCompleted();
        if (!answered.await(timeout.toNanos(), TimeUnit.NANOSECONDS) || failed.get() != null) {
            throw EtcdErrors.classify("lease keep-alive at " + url, failed.get() == null
                    ? new TimeoutException("no answer in " + timeout) : failed.get());
        }
    }

    /**
     * Applies the events of one revision as one transaction; returns the revision etcd gave it. Leases the puts name
     * must exist already.
     */
    public long apply(List<KeyEvent> revision) {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        for (KeyEvent e : revision) {
            ByteString key = ByteString.copyFrom(e.key());
            txn.addSuccess(e.delete()
                    ? RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key))
                    : RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key)
                            .setValue(ByteString.copyFrom(e.value())).setLease(e.lease())));
        }
        return call("txn", () -> KVGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .txn(txn.build())).getHeader().getRevision();
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }

    private <T> T call(String what, Callable<T> rpc) {
        try {
            return rpc.call();
        } catch (Exception e) {
            throw EtcdErrors.classify(what + " at " + url, e);
        }
    }
}

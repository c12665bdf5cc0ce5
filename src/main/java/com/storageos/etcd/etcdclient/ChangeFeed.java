package com.storageos.etcd.etcdclient;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * etcd's watch on every key from one revision on, through one member, as a queue of {@link Signal}s that one thread
 * polls. etcd sends each revision's events whole in one response (no fragmenting is asked for), so a batch never
 * ends inside a revision.
 */
public final class ChangeFeed implements AutoCloseable {
    private static final ByteString ALL_KEYS = ByteString.copyFrom(new byte[] {0});

    /** What the watch said. */
    public sealed interface Signal {
    }

    /** The changes of one or more whole revisions, in revision order. */
    public record Changes(List<KeyEvent> events) implements Signal {
    }

    /** etcd canceled the watch: the start revision is compacted away, the oldest left is {@code compactRevision}. */
    public record Compacted(long compactRevision) implements Signal {
    }

    /** Every change up to {@code revision} was sent: the answer to {@link #requestProgress()}. */
    public record Progress(long revision) implements Signal {
    }

    /** The stream ended (member gone, canceled for another reason); open a new feed. */
    public record Ended(String why) implements Signal {
    }

    private final String url;
    private final ManagedChannel channel;
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final StreamObserver<WatchRequest> requests;
    private volatile long clusterId;

    private ChangeFeed(String url, ManagedChannel channel, long fromRevision) {
        this.url = url;
        this.channel = channel;
        this.requests = WatchGrpc.newStub(channel).watch(new Responses());
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(ALL_KEYS).setRangeEnd(ALL_KEYS).setStartRevision(fromRevision)).build());
    }

    /** @param tls the client certificate for an https URL; null for a plain one */
    public static ChangeFeed open(String clientUrl, ClientTls tls, long fromRevision) {
        return new ChangeFeed(clientUrl, MemberChannel.open(clientUrl, tls), fromRevision);
    }

    public String url() {
        return url;
    }

    /** The cluster ID of the member's answers (their header), 0 until the first answer. */
    public long clusterId() {
        return clusterId;
    }

    /** The next signal, or empty when none came within {@code timeout}. */
    public Optional<Signal> poll(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(signals.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** Asks etcd for a {@link Progress}: proof, while nothing changes, that nothing was missed. */
    public void requestProgress() {
        synchronized (requests) {
            requests.onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
        }
    }

    /** The TTL the lease was granted with, or -1 when it is gone (expired or revoked). */
    public long grantedTtl(long lease, Duration timeout) {
        try {
            var r = LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(lease).build());
            return r.getTTL() < 0 ? -1 : r.getGrantedTTL();
        } catch (RuntimeException e) {
            throw EtcdErrors.classify("lease time-to-live " + Long.toHexString(lease) + " at " + url, e);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }

    static KeyEvent toEvent(Event e) {
        KeyValue kv = e.getKv();
        return e.getType() == Event.EventType.DELETE ? KeyEvent.delete(kv.getKey().toByteArray(), kv.getModRevision())
                : KeyEvent.put(kv.getKey().toByteArray(), kv.getValue().toByteArray(), kv.getCreateRevision(),
                kv.getModRevision(), kv.getVersion(), kv.getLease());
    }

    private final class Responses implements StreamObserver<WatchResponse> {
        @Override
        public void onNext(WatchResponse r) {
            clusterId = r.getHeader().getClusterId();
            if (r.getCanceled()) {
                signals.add(r.getCompactRevision() > 0 ? new Compacted(r.getCompactRevision())
                        : new Ended("watch canceled by " + url + ": " + r.getCancelReason()));
            } else if (r.getEventsCount() > 0) {
                signals.add(new Changes(r.getEventsList().stream().map(ChangeFeed::toEvent).toList()));
            } else if (!r.getCreated()) {
                signals.add(new Progress(r.getHeader().getRevision()));
            }
        }

        @Override
        public void onError(Throwable t) {
            signals.add(new Ended("watch at " + url + " failed: " + t.getMessage()));
        }

        @Override
        public void onCompleted() {
            signals.add(new Ended("watch at " + url + " ended"));
        }
    }
}

package com.storageos.etcd.etcdclient;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberAddResponse;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberRemoveResponse;
import io.etcd.jetcd.api.MemberUpdateRequest;
import io.etcd.jetcd.api.MoveLeaderRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.SnapshotResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A plain gRPC channel to exactly one member, driven with jetcd's generated stubs and messages.
 * jetcd's own client load-balances over its endpoints and lacks MemberPromote and the newer
 * Status fields, so everything that must reach one particular member goes through here.
 */
final class MemberChannel implements AutoCloseable {

    /*
     * jetcd 0.8.5 has no MemberPromote. Its request {uint64 ID = 1} and response
     * {ResponseHeader header = 1; repeated Member members = 2} are wire-identical to
     * MemberRemoveRequest/Response, so those generated messages serve as the codec.
     */
    private static final MethodDescriptor<MemberRemoveRequest, MemberRemoveResponse> MEMBER_PROMOTE =
            MethodDescriptor.<MemberRemoveRequest, MemberRemoveResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName("etcdserverpb.Cluster/MemberPromote")
                    .setRequestMarshaller(ProtoUtils.marshaller(MemberRemoveRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(MemberRemoveResponse.getDefaultInstance()))
                    .build();

    // etcdserverpb.StatusResponse fields that jetcd's generated class predates; protobuf keeps them as unknown fields.
    private static final int RAFT_APPLIED_INDEX = 7;
    private static final int ERRORS = 8;
    private static final int DB_SIZE_IN_USE = 9;
    private static final int IS_LEARNER = 10;

    private final String url;
    private final ManagedChannel channel;

    /** @param tls the client certificate for an https URL; null for a plain one */
    MemberChannel(String clientUrl, ClientTls tls) {
        this.url = clientUrl;
        this.channel = open(clientUrl, tls);
    }

    /** A gRPC channel to one client URL, with the client certificate when it is https. */
    static ManagedChannel open(String clientUrl, ClientTls tls) {
        URI uri = URI.create(clientUrl);
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (https && tls == null) {
            throw new IllegalArgumentException(clientUrl + " needs a client certificate: etcd requires one on every TLS connection");
        }
        ChannelCredentials credentials = https ? tls.channelCredentials() : InsecureChannelCredentials.create();
        return Grpc.newChannelBuilderForAddress(uri.getHost(), uri.getPort(), credentials).build();
    }

    EndpointStatus status(Duration timeout) {
        StatusResponse r = call("status", () -> MaintenanceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .status(StatusRequest.getDefaultInstance()));
        UnknownFieldSet extra = r.getUnknownFields();
        List<String> errors = extra.getField(ERRORS).getLengthDelimitedList().stream()
                .map(ByteString::toStringUtf8).toList();
        return new EndpointStatus(r.getHeader().getMemberId(), r.getLeader(), r.getVersion(), r.getDbSize(),
                varint(extra, DB_SIZE_IN_USE), r.getRaftIndex(), r.getRaftTerm(),
                varint(extra, RAFT_APPLIED_INDEX), varint(extra, IS_LEARNER) != 0, errors, r.getHeader().getRevision());
    }

    /** A linearizable read, as {@code etcdctl endpoint health} does: it needs a leader and a quorum. */
    void linearizableRead(Duration timeout) {
        RangeRequest read = RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("health")).setSerializable(false).setKeysOnly(true).build();
        call("health read", () -> KVGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).range(read));
    }

    MemberListResponse memberList(Duration timeout) {
        return call("member list", () -> ClusterGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).memberList(MemberListRequest.getDefaultInstance()));
    }

    /** The cluster's active alarms (any member answers for all of them). */
    List<AlarmMember> alarms(Duration timeout) {
        AlarmRequest request = AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).setAlarm(AlarmType.NONE).build();
        AlarmResponse response = call("alarm list", () -> MaintenanceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).alarm(request));
        return response.getAlarmsList();
    }

    void disarm(AlarmMember alarm, Duration timeout) {
        AlarmRequest request = AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.DEACTIVATE)
                .setMemberID(alarm.getMemberID()).setAlarm(alarm.getAlarm()).build();
        call("alarm disarm " + alarm.getAlarm(), () -> MaintenanceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).alarm(request));
    }

    void promote(long memberId, Duration timeout) {
        MemberRemoveRequest request = MemberRemoveRequest.newBuilder().setID(memberId).build();
        call("promote " + Long.toHexString(memberId), () -> ClientCalls.blockingUnaryCall(
                channel, MEMBER_PROMOTE, CallOptions.DEFAULT.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS),
                request));
    }

    /** One attempt, no client-side retry: etcd mints a new member ID per request, so a retried add is a second member. */
    MemberAddResponse addLearner(String peerUrl, Duration timeout) {
        MemberAddRequest request = MemberAddRequest.newBuilder().addPeerURLs(peerUrl).setIsLearner(true).build();
        return call("member add --learner " + peerUrl, () -> ClusterGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).memberAdd(request));
    }

    void remove(long memberId, Duration timeout) {
        MemberRemoveRequest request = MemberRemoveRequest.newBuilder().setID(memberId).build();
        call("member remove " + Long.toHexString(memberId), () -> ClusterGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).memberRemove(request));
    }

    void updatePeerUrl(long memberId, String peerUrl, Duration timeout) {
        MemberUpdateRequest request = MemberUpdateRequest.newBuilder().setID(memberId).addPeerURLs(peerUrl).build();
        call("member update " + Long.toHexString(memberId) + " " + peerUrl, () -> ClusterGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).memberUpdate(request));
    }

    void moveLeader(long targetId, Duration timeout) {
        MoveLeaderRequest request = MoveLeaderRequest.newBuilder().setTargetID(targetId).build();
        call("move leader to " + Long.toHexString(targetId), () -> MaintenanceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).moveLeader(request));
    }

    void defragment(Duration timeout) {
        call("defragment", () -> MaintenanceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .defragment(DefragmentRequest.getDefaultInstance()));
    }

    /** Copies the snapshot stream into {@code out}; the deadline covers the whole transfer. */
    long snapshot(OutputStream out, Duration timeout) {
        // A cancellable context so that a failing OutputStream also ends the server stream at once.
        try (Context.CancellableContext context = Context.current().withCancellation()) {
            return call("snapshot", () -> context.call(() -> {
                Iterator<SnapshotResponse> chunks = MaintenanceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                        .snapshot(SnapshotRequest.getDefaultInstance());
                long written = 0;
                while (chunks.hasNext()) {
                    ByteString blob = chunks.next().getBlob();
                    blob.writeTo(out);
                    written += blob.size();
                }
                return written;
            }));
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }

    private <T> T call(String what, Callable<T> rpc) {
        try {
            return rpc.call();
        } catch (Exception e) {
            EtcdAdminException failure = EtcdErrors.classify(what + " at " + url, e);
            if (failure.kind() == EtcdAdminException.Kind.UNAVAILABLE) {
                // gRPC backs off reconnects for up to 2 min; a member that comes back must be seen at once.
                channel.resetConnectBackoff();
            }
            throw failure;
        }
    }

    private static long varint(UnknownFieldSet fields, int number) {
        List<Long> values = fields.getField(number).getVarintList();
        return values.isEmpty() ? 0 : values.get(values.size() - 1);
    }
}

package com.storageos.etcd.tool.pitr;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A client writing puts, deletes and lease-bound keys, remembering when each write was acknowledged at which revision. */
final class Workload {
    record Ack(long revision, Instant at) {
    }

    private final Client client;
    final List<Ack> acks = new CopyOnWriteArrayList<>();

    Workload(Client client) {
        this.client = client;
    }

    /** Writes until {@code until}: every 5th write deletes an earlier key, every 4th binds its key to a lease. */
    void run(Instant until, long leaseTtl) throws Exception {
        long lease = client.getLeaseClient().grant(leaseTtl).get(5, TimeUnit.SECONDS).getID();
        for (int i = 0; Instant.now().isBefore(until); i++) {
            long revision;
            if (i % 5 == 4) {
                revision = client.getKVClient().delete(bytes("key/" + (i - 3))).get(5, TimeUnit.SECONDS).getHeader().getRevision();
            } else if (i % 4 == 3) {
                revision = client.getKVClient().put(bytes("key/" + i), bytes("leased " + i),
                        PutOption.builder().withLeaseId(lease).build()).get(5, TimeUnit.SECONDS).getHeader().getRevision();
            } else {
                revision = client.getKVClient().put(bytes("key/" + (i % 50)), bytes("value " + i)).get(5, TimeUnit.SECONDS)
                        .getHeader().getRevision();
            }
            acks.add(new Ack(revision, Instant.now()));
        }
    }

    /** The newest revision acknowledged no later than {@code at}. */
    long lastAckedBy(Instant at) {
        return acks.stream().filter(a -> !a.at().isAfter(at)).mapToLong(Ack::revision).max().orElse(0);
    }

    /** Every key at {@code revision} (0: now) with its value, revisions, version and lease, as etcd's get --rev shows them. */
    static TreeMap<String, String> state(Client client, long revision) throws Exception {
        GetOption.Builder all = GetOption.builder().isPrefix(true);
        if (revision > 0) {
            all.withRevision(revision);
        }
        TreeMap<String, String> keys = new TreeMap<>();
        for (KeyValue kv : client.getKVClient().get(bytes("key/"), all.build()).get(10, TimeUnit.SECONDS).getKvs()) {
            keys.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8) + " create="
                    + kv.getCreateRevision() + " mod=" + kv.getModRevision() + " version=" + kv.getVersion() + " lease=" + kv.getLease());
        }
        return keys;
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}

package com.storageos.etcd.etcdclient;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One change as etcd's watch reports it: a put or a delete of one key at {@code modRevision}. For a delete, etcd
 * reports only the key and the revision; the other fields are zero and the value empty.
 *
 * @param lease the lease the key is bound to after a put, 0 for none
 */
public record KeyEvent(boolean delete, byte[] key, byte[] value, long createRevision, long modRevision, long version, long lease) {

    public KeyEvent {
        key = key.clone();
        value = value.clone();
    }

    public static KeyEvent put(byte[] key, byte[] value, long createRevision, long modRevision, long version, long lease) {
        return new KeyEvent(false, key, value, createRevision, modRevision, version, lease);
    }

    public static KeyEvent delete(byte[] key, long modRevision) {
        return new KeyEvent(true, key, new byte[0], 0, modRevision, 0, 0);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyEvent e && delete == e.delete && Arrays.equals(key, e.key) && Arrays.equals(value, e.value)
                && createRevision == e.createRevision && modRevision == e.modRevision && version == e.version && lease == e.lease;
    }

    @Override
    public int hashCode() {
        return Objects.hash(delete, Arrays.hashCode(key), modRevision);
    }

    @Override
    public String toString() {
        return (delete ? "delete " : "put ") + HexFormat.of().formatHex(key) + "@" + modRevision;
    }
}

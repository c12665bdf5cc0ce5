package com.storageos.etcd.tool.backup;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chunk of a full snapshot's change chain: {@code <snapshot name>.chain.<first>-<last>}, the revisions zero-padded to
 * 19 digits. Beside the snapshots in the same directory or prefix, a plain listing sorted by name gives each snapshot
 * followed by its chain in revision order; {@link BackupName#parse} never takes a chunk for a snapshot.
 */
public record ChunkName(BackupName snapshot, long first, long last) implements Comparable<ChunkName> {
    private static final Pattern SHAPE = Pattern.compile("(.+)\\.chain\\.(\\d{19})-(\\d{19})");

    public ChunkName {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException("a chunk covers revisions first..last, first >= 1: " + first + ".." + last);
        }
    }

    public String name() {
        return String.format("%s.chain.%019d-%019d", snapshot.name(), first, last);
    }

    /** The chunk this file or object name denotes, if it is one of this cluster's. */
    public static Optional<ChunkName> parse(String cluster, String name) {
        Matcher m = SHAPE.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        long first = Long.parseLong(m.group(2));
        long last = Long.parseLong(m.group(3));
        return BackupName.parse(cluster, m.group(1)).filter(s -> first >= 1 && last >= first)
                .map(s -> new ChunkName(s, first, last));
    }

    @Override
    public int compareTo(ChunkName other) {
        int bySnapshot = snapshot.compareTo(other.snapshot);
        return bySnapshot != 0 ? bySnapshot : Long.compare(first, other.first);
    }

    @Override
    public String toString() {
        return name();
    }
}

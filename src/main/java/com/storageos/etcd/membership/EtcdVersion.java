package com.storageos.etcd.membership;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An etcd release number as spec.version names it and etcd reports it ("3.5.30"), ordered by number, not by text. */
public record EtcdVersion(int major, int minor, int patch) implements Comparable<EtcdVersion> {
    private static final Pattern FORM = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})\\.(\\d{1,6})");
    private static final Comparator<EtcdVersion> ORDER = Comparator.comparingInt(EtcdVersion::major)
            .thenComparingInt(EtcdVersion::minor).thenComparingInt(EtcdVersion::patch);

    /** Empty for anything but major.minor.patch (a member that did not answer reports ""). */
    public static Optional<EtcdVersion> parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        return m != null && m.matches()
                ? Optional.of(new EtcdVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))))
                : Optional.empty();
    }

    public boolean atLeast(int major, int minor) {
        return compareTo(new EtcdVersion(major, minor, 0)) >= 0;
    }

    @Override
    public int compareTo(EtcdVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}

package com.storageos.etcd.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Real etcd releases by version, for tests and the sandbox: {@code <dir>/etcd-<version>/{etcd,etcdctl,etcdutl}} under
 * the one directory named by the environment variable {@value #ENV} or the system property {@value #PROPERTY}
 * (the layout {@code shared/etcd/unpack} writes; {@code .ci/run} also lays Debian's 3.4.23 there). Without them a test
 * fails loudly; it is never skipped, and never runs another version silently.
 */
public record EtcdBinaries(String version, Path dir) {
    public static final String ENV = "ETCD_BINARIES_DIR";
    public static final String PROPERTY = "etcd.binaries.dir";
    /** The tested line: what every suite runs unless it names another release. */
    public static final String DEFAULT_VERSION = "3.5.30";
    /** The 3.4 release the compatibility suite and the minor upgrade start from (Debian bookworm's). */
    public static final String V3_4 = "3.4.23";

    /** The default release's binaries. */
    public static EtcdBinaries tested() {
        return of(DEFAULT_VERSION);
    }

    /** One release's binaries; fails with what to do when they are not there. */
    public static EtcdBinaries of(String version) {
        Path dir = root().map(r -> r.resolve("etcd-" + version))
                .orElseThrow(() -> new IllegalStateException(missing(version, "neither " + ENV + " nor -D" + PROPERTY + " is set")));
        if (!Files.isExecutable(dir.resolve("etcd"))) {
            throw new IllegalStateException(missing(version, dir.resolve("etcd") + " is not an executable file"));
        }
        return new EtcdBinaries(version, dir);
    }

    /** Whether this release is there, for a sandbox that must report an image it cannot run instead of failing. */
    public static Optional<EtcdBinaries> find(String version) {
        return root().map(r -> r.resolve("etcd-" + version)).filter(d -> Files.isExecutable(d.resolve("etcd")))
                .map(d -> new EtcdBinaries(version, d));
    }

    public static Optional<Path> root() {
        return Optional.ofNullable(System.getProperty(PROPERTY)).or(() -> Optional.ofNullable(System.getenv(ENV)))
                .filter(s -> !s.isBlank()).map(Path::of);
    }

    public String etcd() {
        return dir.resolve("etcd").toString();
    }

    public String etcdctl() {
        return dir.resolve("etcdctl").toString();
    }

    /** The program that restores a snapshot: etcdutl from 3.5 on (etcdctl's is deprecated there, gone in 3.6); 3.4 has only etcdctl. */
    public String restoreProgram() {
        Path etcdutl = dir.resolve("etcdutl");
        return Files.isExecutable(etcdutl) ? etcdutl.toString() : etcdctl();
    }

    /** The member image the operator renders for this release. */
    public String imageTag() {
        return "v" + version;
    }

    public static String missing(String version, String why) {
        return "Real etcd " + version + " is needed for this test, but it was not found: " + why + ". Set " + ENV + " (or -D"
                + PROPERTY + ") to a directory holding etcd-<version>/{etcd,etcdctl,etcdutl}: unpack shared/etcd with its unpack "
                + "script (what .ci/run does), or download the release from https://github.com/etcd-io/etcd/releases/tag/v" + version
                + " and put its etcd, etcdctl and etcdutl into etcd-" + version + "/.";
    }
}

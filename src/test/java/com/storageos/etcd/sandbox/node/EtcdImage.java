package com.storageos.etcd.sandbox.node;

import com.storageos.etcd.testing.EtcdBinaries;
import io.fabric8.kubernetes.api.model.Container;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the sandbox node runs for an etcd image: exactly the release its tag names ({@code …/etcd:v3.5.30}), from
 * {@link EtcdBinaries}. A release this machine does not have is the pod's honest image error, never another version.
 */
record EtcdImage(String image, String version) {
    private static final Pattern TAG = Pattern.compile("(?:.*/)?etcd:v(\\d+\\.\\d+\\.\\d+)$");
    private static final Set<String> PROGRAMS = Set.of("etcd", "etcdctl", "etcdutl");

    /** The etcd release a container's image names, if its image is an etcd image. */
    static Optional<EtcdImage> of(Container c) {
        Matcher m = TAG.matcher(c.getImage() == null ? "" : c.getImage());
        return m.matches() ? Optional.of(new EtcdImage(c.getImage(), m.group(1))) : Optional.empty();
    }

    /** The release's binaries, or why the node cannot run this image (the waiting container's message). */
    EtcdBinaries binaries() {
        return EtcdBinaries.find(version).orElseThrow(() -> new ImageUnavailable(image + ": the sandbox node has no etcd " + version
                + " (" + EtcdBinaries.missing(version, "not under " + EtcdBinaries.root().map(Object::toString).orElse("an unset " + EtcdBinaries.ENV)) + ")"));
    }

    /** The path of one of the image's programs, for a command line that names {@code etcd}, {@code etcdctl} or {@code etcdutl}. */
    Optional<String> program(String name) {
        return PROGRAMS.contains(name) ? Optional.of(binaries().dir().resolve(name).toString()) : Optional.empty();
    }

    /** The pod's image cannot be run here: reported as the kubelet reports an image it cannot pull. */
    static final class ImageUnavailable extends RuntimeException {
        ImageUnavailable(String message) {
            super(message);
        }
    }
}

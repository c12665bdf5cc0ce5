package com.storageos.etcd.testing.kube;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the real {@code kube-apiserver} and {@code kube-controller-manager} binaries are: the one
 * directory named by the environment variable {@value #ENV} or the system property {@value #PROPERTY}.
 * Without them a test fails loudly; it is never skipped.
 */
public final class KubeBinaries {
    public static final String ENV = "KUBE_BINARIES_DIR";
    public static final String PROPERTY = "kube.binaries.dir";

    private KubeBinaries() {
    }

    public static Path apiServer() {
        return binary("kube-apiserver");
    }

    public static Path controllerManager() {
        return binary("kube-controller-manager");
    }

    private static Path binary(String name) {
        String dir = Optional.ofNullable(System.getProperty(PROPERTY)).orElse(System.getenv(ENV));
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException(missing(name, "neither " + ENV + " nor -D" + PROPERTY + " is set"));
        }
        Path bin = Path.of(dir).resolve(name);
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(missing(name, bin + " is not an executable file"));
        }
        return bin;
    }

    private static String missing(String name, String why) {
        return "The real Kubernetes control plane is needed for this test, but " + name + " was not found: " + why + ". "
                + "Set " + ENV + " (or -D" + PROPERTY + ") to a directory holding kube-apiserver and kube-controller-manager "
                + "v1.26 or later: unpack them with shared/k8s/unpack (what .ci/run does), or download them from the official "
                + "Kubernetes release (https://dl.k8s.io/release/v1.26.5/bin/linux/amd64/kube-apiserver and kube-controller-manager).";
    }
}

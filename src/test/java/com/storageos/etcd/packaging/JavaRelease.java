package com.storageos.etcd.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Java feature release the build targets (pom.xml's maven.compiler.release), which the image and CI run too. */
final class JavaRelease {
    private static final Pattern RELEASE = Pattern.compile("<maven.compiler.release>(\\d+)</maven.compiler.release>");

    private JavaRelease() {
    }

    static String ofPom() throws IOException {
        Matcher release = RELEASE.matcher(Files.readString(Path.of("pom.xml")));
        if (!release.find()) {
            throw new AssertionError("pom.xml names no maven.compiler.release");
        }
        return release.group(1);
    }
}

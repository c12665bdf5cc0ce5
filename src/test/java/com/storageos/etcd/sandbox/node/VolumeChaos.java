package com.storageos.etcd.sandbox.node;

import com.storageos.etcd.toolcontract.MemberPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/** What happens to a member pod's volumes while its container is down ({@link SandboxNode#changeVolume}), by claim name. */
@FunctionalInterface
public interface VolumeChaos {
    void apply(Map<String, Path> claims) throws IOException;

    /** Every claim's directory emptied. */
    VolumeChaos WIPE = claims -> {
        for (Path dir : claims.values()) {
            SandboxNode.deleteContents(dir);
        }
    };

    /** Only etcd's {@code member/} dir inside the data dir is lost (a partial restore, a storage fault, a generic recipe). */
    VolumeChaos LOSE_MEMBER_DIR = claims -> {
        String dataDirInVolume = MemberPaths.DATA_DIR.substring(MemberPaths.DATA_MOUNT.length() + 1);
        for (Path dir : claims.values()) {
            SandboxNode.deleteTree(dir.resolve(dataDirInVolume).resolve("member"));
        }
    };

    /** A copy of every claim, each under its claim's name in {@code copy}: a storage snapshot. */
    static VolumeChaos copyTo(Path copy) {
        return claims -> {
            for (Map.Entry<String, Path> claim : claims.entrySet()) {
                copyTree(claim.getValue(), copy.resolve(claim.getKey()));
            }
        };
    }

    /** Every claim rolled back to its {@link #copyTo copy}: a storage snapshot restored, or a copy put back. */
    static VolumeChaos rollBackTo(Path copy) {
        return claims -> {
            for (Map.Entry<String, Path> claim : claims.entrySet()) {
                SandboxNode.deleteContents(claim.getValue());
                copyTree(copy.resolve(claim.getKey()), claim.getValue());
            }
        };
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}

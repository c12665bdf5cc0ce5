package com.storageos.etcd.testing.kube;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The key the API server signs ServiceAccount tokens with, one per JVM: each control plane trusts only its own files, so
 * sharing the key between them costs nothing, while a new 2048-bit RSA key took seconds of CPU on every sandbox start
 * (the failsafe JVMs run C1 only).
 */
final class ServiceAccountKeys {
    private static KeyPair keys;

    private ServiceAccountKeys() {
    }

    /** Writes the private key to {@code sa.key} and the public key to {@code sa.pub} in {@code dir}. */
    static void writeTo(Path dir) throws IOException {
        KeyPair pair = keys();
        Files.writeString(dir.resolve("sa.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("sa.pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    private static synchronized KeyPair keys() {
        if (keys == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                keys = generator.generateKeyPair();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return keys;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}

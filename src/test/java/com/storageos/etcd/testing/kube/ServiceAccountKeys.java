package com.storageos.etcd.testing.kube;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The key pair the API server signs ServiceAccount tokens with (sa.key) and checks them by (sa.pub), fresh per control plane. */
final class ServiceAccountKeys {
    private ServiceAccountKeys() {
    }

    static void write(Path dir) throws IOException {
        KeyPair serviceAccountKeys = rsaKeyPair();
        Files.writeString(dir.resolve("sa.key"), pem("PRIVATE KEY", serviceAccountKeys.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("sa.pub"), pem("PUBLIC KEY", serviceAccountKeys.getPublic().getEncoded()));
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}

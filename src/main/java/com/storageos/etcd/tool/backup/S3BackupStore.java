package com.storageos.etcd.tool.backup;

import com.storageos.etcd.api.v1alpha1.spec.S3DestinationSpec;
import com.storageos.etcd.desired.ToolEnv;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backups as objects under one prefix. A single PUT is atomic in S3: readers see the whole object
 * or none, never a partial one. The PUT carries Content-MD5 of the verified file, so the store
 * itself rejects a body damaged in transit; a HEAD afterwards checks the stored length.
 * Single PUTs are limited to 5 GiB; a larger snapshot fails with a clear message.
 */
public final class S3BackupStore implements BackupStore {
    static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String cluster;

    S3BackupStore(S3Client s3, String bucket, String prefix, String cluster) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.cluster = cluster;
    }

    /** Credentials come from env (the pod maps them from the Secret). The default prefix is {@code <namespace>/<cluster>/}. */
    public static S3BackupStore open(S3DestinationSpec spec, Map<String, String> env, String namespace, String cluster) {
        String id = required(env, ToolEnv.AWS_ACCESS_KEY_ID);
        String secret = required(env, ToolEnv.AWS_SECRET_ACCESS_KEY);
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(Optional.ofNullable(spec.getRegion()).orElse("us-east-1")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
                .forcePathStyle(Boolean.TRUE.equals(spec.getForcePathStyle()))
                // Self-hosted stores often lack the SDK's newer flexible checksums; Content-MD5 covers integrity.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (spec.getEndpoint() != null && !spec.getEndpoint().isBlank()) {
            builder.endpointOverride(URI.create(spec.getEndpoint()));
        }
        String prefix = Optional.ofNullable(spec.getPrefix()).filter(p -> !p.isBlank()).orElse(namespace + "/" + cluster);
        return new S3BackupStore(builder.build(), spec.getBucket(), prefix.endsWith("/") ? prefix : prefix + "/", cluster);
    }

    @Override
    public Path stagingDir() throws IOException {
        return Files.createTempDirectory("etcd-backup-");
    }

    @Override
    public String publish(VerifiedSnapshot snapshot, BackupName name) throws IOException {
        if (snapshot.size() > MAX_SINGLE_PUT) {
            throw new IOException("snapshot of " + snapshot.size() + " bytes exceeds the 5 GiB single-PUT limit");
        }
        String key = prefix + name.name();
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentMD5(snapshot.md5Base64())
                            .contentLength(snapshot.size()).contentType("application/octet-stream")
                            .metadata(Map.of("sha256", snapshot.sha256())),
                    RequestBody.fromFile(snapshot.file()));
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            if (head.contentLength() != snapshot.size()) {
                throw new IOException("s3://" + bucket + "/" + key + " holds " + head.contentLength() + " bytes, sent " + snapshot.size());
            }
        } catch (SdkException e) {
            throw new IOException("upload to s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(snapshot.file());
            Files.deleteIfExists(snapshot.file().getParent());
        }
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public List<BackupName> list() throws IOException {
        try {
            return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                    .map(S3Object::key)
                    .map(k -> k.substring(prefix.length()))
                    .map(n -> BackupName.parse(cluster, n))
                    .flatMap(Optional::stream).toList();
        } catch (SdkException e) {
            throw new IOException("listing s3://" + bucket + "/" + prefix + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(BackupName backup) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(prefix + backup.name()));
        } catch (SdkException e) {
            throw new IOException("deleting " + backup.name() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void fetch(BackupName backup, Path target) throws IOException {
        try {
            Files.deleteIfExists(target);
            s3.getObject(b -> b.bucket(bucket).key(prefix + backup.name()), target);
        } catch (SdkException e) {
            throw new IOException("download of " + backup.name() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    private static String required(Map<String, String> env, String key) {
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is not set; the pod maps it from the credentials Secret");
        }
        return value;
    }
}

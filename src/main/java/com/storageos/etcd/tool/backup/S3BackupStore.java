package com.storageos.etcd.tool.backup;

import com.storageos.etcd.api.v1alpha1.spec.S3DestinationSpec;
import com.storageos.etcd.toolcontract.ToolEnv;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backups and chain chunks as objects under one prefix. Readers see a whole object or none: a single PUT is atomic, and a
 * multipart upload becomes visible only when completed. Small snapshots go in one PUT carrying the Content-MD5 of the
 * staged file, checked to still hash to the verified sha256, so the store rejects a body damaged on the way; larger ones
 * (S3 caps a PUT at 5 GiB, and one failed PUT resends everything) go in parts, each with its own Content-MD5, completed
 * only once the parts' sha256 matches the one verified while the snapshot streamed, and aborted on any failure so no
 * stray parts are left to bill. A HEAD checks the length.
 */
public final class S3BackupStore implements BackupStore {
    /** Above this a snapshot goes in parts; {@link ToolEnv#S3_MULTIPART_THRESHOLD_BYTES} changes it. */
    static final long SINGLE_PUT_LIMIT = 256L * 1024 * 1024;
    /**
     * Held in memory once per upload; 512 parts for an 8 GiB database, well under S3's 10,000.
     * {@link ToolEnv#S3_PART_SIZE_BYTES} changes it, for a store or proxy that limits request bodies.
     */
    static final int PART_SIZE = 16 * 1024 * 1024;
    /** S3's smallest part but the last. */
    static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    private static final int MAX_PARTS = 10_000;
    private static final String OCTETS = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String cluster;
    private final long singlePutLimit;
    private final int partSize;
    /** SSE-S3 or SSE-KMS as the spec asks; null leaves the bucket's default encryption. */
    private final String encryption;
    private final String kmsKeyId;

    private S3BackupStore(S3Client s3, String bucket, String prefix, String cluster, long singlePutLimit, int partSize,
                          String encryption, String kmsKeyId) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.cluster = cluster;
        this.singlePutLimit = singlePutLimit;
        this.partSize = partSize;
        this.encryption = encryption;
        this.kmsKeyId = kmsKeyId;
    }

    /** Credentials as {@link S3Credentials} finds them in env. The default prefix is {@code <namespace>/<cluster>/}. */
    public static S3BackupStore open(S3DestinationSpec spec, Map<String, String> env, String namespace, String cluster) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(Optional.ofNullable(spec.getRegion()).orElse("us-east-1")))
                .credentialsProvider(S3Credentials.of(env))
                .forcePathStyle(Boolean.TRUE.equals(spec.getForcePathStyle()))
                // Self-hosted stores often lack the SDK's newer flexible checksums; Content-MD5 covers integrity.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (spec.getEndpoint() != null && !spec.getEndpoint().isBlank()) {
            builder.endpointOverride(URI.create(spec.getEndpoint()));
        }
        String prefix = Optional.ofNullable(spec.getPrefix()).filter(p -> !p.isBlank()).orElse(namespace + "/" + cluster);
        long threshold = Long.parseLong(env.getOrDefault(ToolEnv.S3_MULTIPART_THRESHOLD_BYTES, Long.toString(SINGLE_PUT_LIMIT)));
        int partSize = Integer.parseInt(env.getOrDefault(ToolEnv.S3_PART_SIZE_BYTES, Integer.toString(PART_SIZE)));
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException(ToolEnv.S3_PART_SIZE_BYTES + " must be at least " + MIN_PART_SIZE + " (S3's smallest part)");
        }
        return new S3BackupStore(builder.build(), spec.getBucket(), prefix.endsWith("/") ? prefix : prefix + "/", cluster,
                threshold, partSize, blankToNull(spec.getServerSideEncryption()), blankToNull(spec.getKmsKeyId()));
    }

    @Override
    public Path stagingDir() throws IOException {
        return Files.createTempDirectory("etcd-backup-");
    }

    @Override
    public String publish(VerifiedSnapshot snapshot, BackupName name) throws IOException {
        String key = prefix + name.name();
        try {
            if (snapshot.size() <= singlePutLimit) {
                String md5 = VerifiedSnapshot.md5OfUnchanged(snapshot);
                s3.putObject(b -> b.bucket(bucket).key(key).contentMD5(md5)
                                .contentLength(snapshot.size()).contentType(OCTETS)
                                .serverSideEncryption(encryption).ssekmsKeyId(kmsKeyId)
                                .metadata(Map.of("sha256", snapshot.sha256())),
                        RequestBody.fromFile(snapshot.file()));
            } else {
                putInParts(snapshot, key);
            }
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

    private void putInParts(VerifiedSnapshot snapshot, String key) throws IOException {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(OCTETS)
                .serverSideEncryption(encryption).ssekmsKeyId(kmsKeyId)
                .metadata(Map.of("sha256", snapshot.sha256()))).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            MessageDigest sent = VerifyingOutputStream.digest("SHA-256");
            byte[] part = new byte[(int) Math.max(partSize, -Math.floorDiv(-snapshot.size(), MAX_PARTS))];
            try (InputStream in = Files.newInputStream(snapshot.file())) {
                for (int number = 1, n; (n = in.readNBytes(part, 0, part.length)) > 0; number++) {
                    sent.update(part, 0, n);
                    MessageDigest md5 = VerifyingOutputStream.digest("MD5");
                    md5.update(part, 0, n);
                    int partNumber = number;
                    int length = n;
                    String eTag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                                    .contentLength((long) length).contentMD5(Base64.getEncoder().encodeToString(md5.digest())),
                            RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part, 0, length), length, OCTETS)).eTag();
                    parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
                }
            }
            // The file was re-read for the upload: it must still be the snapshot whose trailer checked out.
            VerifiedSnapshot.requireUnchanged(snapshot, sent);
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    @Override
    public List<BackupName> list() throws IOException {
        return names().stream().map(n -> BackupName.parse(cluster, n)).flatMap(Optional::stream).toList();
    }

    /** One PUT, atomic, with its Content-MD5 so the store refuses a body damaged on the way. */
    @Override
    public void putChunk(ChunkName chunk, byte[] bytes) throws IOException {
        MessageDigest md5 = VerifyingOutputStream.digest("MD5");
        String key = prefix + chunk.name();
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentMD5(Base64.getEncoder().encodeToString(md5.digest(bytes)))
                    .contentLength((long) bytes.length).contentType(OCTETS)
                    .serverSideEncryption(encryption).ssekmsKeyId(kmsKeyId), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw new IOException("upload to s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<ChunkName> chunks() throws IOException {
        return names().stream().map(n -> ChunkName.parse(cluster, n)).flatMap(Optional::stream).toList();
    }

    @Override
    public byte[] readChunk(ChunkName chunk) throws IOException {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + chunk.name())).asByteArray();
        } catch (SdkException e) {
            throw new IOException("download of " + chunk.name() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteChunk(ChunkName chunk) throws IOException {
        deleteObject(chunk.name());
    }

    private void deleteObject(String name) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(prefix + name));
        } catch (SdkException e) {
            throw new IOException("deleting " + name + " failed: " + e.getMessage(), e);
        }
    }

    private List<String> names() throws IOException {
        try {
            return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                    .map(S3Object::key).map(k -> k.substring(prefix.length())).toList();
        } catch (SdkException e) {
            throw new IOException("listing s3://" + bucket + "/" + prefix + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(BackupName backup) throws IOException {
        deleteObject(backup.name());
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

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

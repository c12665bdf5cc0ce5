package com.storageos.etcd.tool.backup;

import com.storageos.etcd.api.v1alpha1.spec.S3DestinationSpec;
import com.storageos.etcd.toolcontract.ToolEnv;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An in-process S3-compatible server (s3proxy over an in-memory blobstore) on a free loopback port. */
public final class S3Server implements AutoCloseable {
    static final String ACCESS = "test-access";
    static final String SECRET = "test-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final String bucket;

    private S3Server(S3Proxy proxy, BlobStoreContext context, String bucket) {
        this.proxy = proxy;
        this.context = context;
        this.bucket = bucket;
    }

    public static S3Server start() throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("x", "y").build(BlobStoreContext.class);
        String bucket = "bkt-" + UUID.randomUUID().toString().substring(0, 8);
        context.getBlobStore().createContainerInLocation(null, bucket);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return new S3Server(proxy, context, bucket);
    }

    public S3DestinationSpec destination() {
        S3DestinationSpec s3 = new S3DestinationSpec();
        s3.setEndpoint("http://127.0.0.1:" + proxy.getPort());
        s3.setBucket(bucket);
        s3.setCredentialsSecret("s3-creds");
        s3.setForcePathStyle(true);
        return s3;
    }

    public Map<String, String> credentials() {
        return Map.of(ToolEnv.AWS_ACCESS_KEY_ID, ACCESS, ToolEnv.AWS_SECRET_ACCESS_KEY, SECRET);
    }

    /** A client of this server, to look at what the store left in the bucket. */
    S3Client client() {
        return S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .forcePathStyle(true).endpointOverride(URI.create("http://127.0.0.1:" + proxy.getPort())).build();
    }

    String bucket() {
        return bucket;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}

package com.storageos.etcd.tool.backup;

import com.storageos.etcd.toolcontract.ToolEnv;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Where a backup or restore gets its S3 credentials: the static keys the pod maps from
 * {@code credentialsSecret}, or, with no Secret named, the AWS SDK's default chain, so that a cloud identity
 * signs the requests: web identity through STS (IRSA: {@code AWS_ROLE_ARN} and {@code AWS_WEB_IDENTITY_TOKEN_FILE}),
 * the container credential provider (EKS Pod Identity, ECS: {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}), profiles,
 * then the instance metadata service. The chain refreshes expiring credentials itself.
 */
final class S3Credentials {
    private S3Credentials() {
    }

    static AwsCredentialsProvider of(Map<String, String> env) {
        String id = env.get(ToolEnv.AWS_ACCESS_KEY_ID);
        String secret = env.get(ToolEnv.AWS_SECRET_ACCESS_KEY);
        boolean hasId = id != null && !id.isBlank();
        boolean hasSecret = secret != null && !secret.isBlank();
        if (hasId && hasSecret) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
        }
        if (hasId || hasSecret) {
            throw new IllegalArgumentException((hasId ? ToolEnv.AWS_SECRET_ACCESS_KEY : ToolEnv.AWS_ACCESS_KEY_ID)
                    + " is not set; the credentials Secret needs both " + ToolEnv.AWS_ACCESS_KEY_ID + " and " + ToolEnv.AWS_SECRET_ACCESS_KEY);
        }
        return DefaultCredentialsProvider.builder().build();
    }
}

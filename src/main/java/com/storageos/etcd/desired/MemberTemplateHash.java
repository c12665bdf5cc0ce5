package com.storageos.etcd.desired;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Whether a member pod must restart for a template change. The StatefulSet's revision counts every
 * field, the init containers' images too; the bootstrap init container runs this operator's image, so
 * by the revision alone an operator upgrade would restart every member although etcd, its flags and
 * its resources stay the same. The pod template carries this hash instead, computed with the init
 * containers' images left out, and a pod whose annotation matches the StatefulSet's runs the current
 * template. A pod that restarts for any other reason still gets the new init image. The restore source (the backup
 * volume and the init container's store settings) is left out too: only a bootstrap that restores reads it, so its
 * coming and going with a restore must not restart every member. The pull Secrets are left out as well: a running
 * container never reads them again, and adding a registry's Secret must not restart the members.
 */
public final class MemberTemplateHash {
    public static final String ANNOTATION = "etcd.storageos.com/template-hash";
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private MemberTemplateHash() {
    }

    private static void removeIf(JsonNode array, Predicate<JsonNode> drop) {
        for (var it = array.elements(); it.hasNext(); ) {
            if (drop.test(it.next())) {
                it.remove();
            }
        }
    }

    /** A hex digest of the template without its own annotation, the init containers' images and the pull Secrets. */
    public static String of(PodTemplateSpec template) {
        JsonNode tree = JSON.valueToTree(template);
        if (tree.path("metadata").path("annotations") instanceof ObjectNode annotations) {
            annotations.remove(ANNOTATION);
        }
        tree.path("spec").path("initContainers").forEach(c -> {
            ((ObjectNode) c).remove("image");
            removeIf(c.path("volumeMounts"), m -> RestoreSource.VOLUME.equals(m.path("name").asText()));
            removeIf(c.path("env"), e -> RestoreSource.ENV.contains(e.path("name").asText()));
        });
        if (tree.path("spec") instanceof ObjectNode spec) {
            spec.remove("imagePullSecrets");
        }
        removeIf(tree.path("spec").path("volumes"), v -> RestoreSource.VOLUME.equals(v.path("name").asText()));
        try {
            // Through a Map so that every level's keys are sorted: the digest must not depend on map order.
            byte[] canonical = JSON.writeValueAsString(JSON.convertValue(tree, Map.class)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical), 0, 8);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("a pod template is plain JSON", e);
        }
    }
}

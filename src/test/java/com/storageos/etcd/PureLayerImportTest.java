package com.storageos.etcd;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/architecture.md, "Where things live": the pure layers import neither the Kubernetes client, JOSDK nor jetcd; only etcdclient/ talks to etcd. */
class PureLayerImportTest {
    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("com.storageos.etcd");
    }

    @Test
    void pureLayersDependOnNoClientNoOperatorSdkNoEtcdClient() {
        noClasses().that().resideInAnyPackage("..desired..", "..naming..", "..membership..", "..status..", "..tls..", "..toolcontract..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8.kubernetes.client..", "io.javaoperatorsdk..",
                        "io.etcd.jetcd..", "io.grpc..")
                .allowEmptyShould(false)
                .check(mainClasses);
    }

    @Test
    void onlyTheEtcdPackageTalksToEtcd() {
        // The sandbox's load generator plays the etcd client (StorageOS), not the operator.
        noClasses().that().resideOutsideOfPackages("com.storageos.etcd.etcdclient..", "com.storageos.etcd.sandbox..")
                .should().dependOnClassesThat().resideInAnyPackage("io.etcd.jetcd..", "io.grpc..")
                .allowEmptyShould(false)
                .check(mainClasses);
    }
}

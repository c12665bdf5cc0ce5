package com.storageos.etcd.config;

import com.storageos.etcd.desired.RenderSettings;
import com.storageos.etcd.etcdclient.EtcdAdminFactory;
import com.storageos.etcd.etcdclient.JetcdEtcdAdminFactory;
import com.storageos.etcd.naming.DnsMemberAddressing;
import com.storageos.etcd.naming.LoopbackAddressing;
import com.storageos.etcd.naming.MemberAddressing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;

/** Wires the plain classes the operator is built from into CDI. Singletons: records cannot be proxied. */
@ApplicationScoped
public class OperatorBeans {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    MemberAddressing addressing(OperatorConfig config) {
        return config.memberLoopbackPrefix().<MemberAddressing>map(LoopbackAddressing::parse)
                .orElseGet(() -> new DnsMemberAddressing(config.clusterDomain()));
    }

    @Produces
    @Singleton
    RenderSettings renderSettings(OperatorConfig config, MemberAddressing addressing) {
        return new RenderSettings(config.operatorImage(), config.etcdImageRepository(), addressing,
                config.imagePullSecrets().orElse(List.of()), config.platformAssignsUser());
    }

    /** Each etcd call's deadline is {@code etcd-operator.etcd-call-timeout}. */
    @Produces
    @Singleton
    EtcdAdminFactory etcdAdmins(OperatorConfig config) {
        return new JetcdEtcdAdminFactory(config.etcdCallTimeout());
    }
}

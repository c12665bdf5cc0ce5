package com.storageos.etcd.reconciler.storageossync;

import com.storageos.etcd.naming.DnsMemberAddressing;
import com.storageos.etcd.naming.MemberAddressing;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Fallback Clock and MemberAddressing for the kvbackend reconciler. They are default beans: as soon
 * as the operator configuration (or the sandbox) produces its own, those win and these vanish.
 */
@ApplicationScoped
public class StorageOSSyncBeans {

    @Produces
    @DefaultBean
    @Singleton
    Clock systemClock() {
        return Clock.systemUTC();
    }

    @Produces
    @DefaultBean
    @Singleton
    MemberAddressing clusterLocalDns() {
        return new DnsMemberAddressing("cluster.local");
    }
}

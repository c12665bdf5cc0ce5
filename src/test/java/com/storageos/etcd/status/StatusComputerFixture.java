package com.storageos.etcd.status;

import static com.storageos.etcd.membership.Cluster.T0;
import static com.storageos.etcd.membership.Cluster.voter;
import static org.assertj.core.api.Assertions.assertThat;

import com.storageos.etcd.api.v1alpha1.status.EtcdClusterStatus;
import com.storageos.etcd.membership.Cluster;
import com.storageos.etcd.membership.ClusterObservation;
import com.storageos.etcd.membership.Step;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** What the StatusComputer tests share: the status computed for an observation and a step, and its conditions. */
abstract class StatusComputerFixture {
    static final long GENERATION = 7;
    static final ClusterObservation CONVERGED = Cluster.of(voter(0).leader(), voter(1), voter(2)).observation();

    static StatusComputer at(Instant instant) {
        return new StatusComputer(Clock.fixed(instant, ZoneOffset.UTC));
    }

    static EtcdClusterStatus compute(int desired, ClusterObservation obs, Step step) {
        EtcdClusterStatus status = new EtcdClusterStatus();
        at(T0).apply(new StatusInput("etcd", desired, GENERATION, obs, step, null, null, "sel"), status);
        return status;
    }

    static Condition condition(EtcdClusterStatus status, String type) {
        return Conditions.find(status.getConditions(), type).orElseThrow(() -> new AssertionError(type + " missing"));
    }

    static void assertCondition(EtcdClusterStatus status, String type, String value, String reason) {
        Condition c = condition(status, type);
        assertThat(c.getStatus()).as(type + " " + c.getMessage()).isEqualTo(value);
        assertThat(c.getReason()).as(type).isEqualTo(reason);
    }
}

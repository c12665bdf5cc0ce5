package com.storageos.etcd.etcdclient;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsServerIdTest {
    /** As etcd 3.5.30 served it on its metrics listener while on data of an earlier cluster, never published. */
    private static final String UNPUBLISHED = """
            # HELP etcd_server_has_leader Whether or not a leader exists. 1 is existence, 0 is not.
            # TYPE etcd_server_has_leader gauge
            etcd_server_has_leader 0
            # HELP etcd_server_id Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.
            # TYPE etcd_server_id gauge
            etcd_server_id{server_id="526f0c29204b81a3"} 1
            # HELP etcd_server_is_leader Whether or not this member is a leader. 1 if is, 0 otherwise.
            """;

    @Test
    void theMemberIdAnEtcdRunsAsIsReadFromItsServerIdGauge() {
        assertThat(MetricsServerId.parse(UNPUBLISHED)).contains(0x526f0c29204b81a3L);
    }

    @Test
    void metricsWithoutTheGaugeNameNoMember() {
        assertThat(MetricsServerId.parse("etcd_server_has_leader 1\n")).isEmpty();
        assertThat(MetricsServerId.parse("etcd_server_id{server_id=\"526f0c29204b81a3\"} 0\n")).as("a former ID").isEmpty();
    }
}

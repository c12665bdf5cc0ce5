package com.storageos.etcd.desired;

import static com.storageos.etcd.desired.MemberStatefulSetBuilderTest.cluster;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.rbac.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServicesAndBudgetBuilderTest {

    @Test
    void peerServiceIsHeadlessAndPublishesNotReadyMembers() {
        Service s = PeerService.build(cluster());
        assertThat(s.getMetadata().getName()).isEqualTo("etcd-peer");
        assertThat(s.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(s.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(s.getSpec().getPorts()).extracting(p -> p.getPort()).contains(2380, 2379);
    }

    @Test
    void clientServiceRoutesOnlyToReadyMembers() {
        Service s = ClientService.build(cluster());
        assertThat(s.getMetadata().getName()).isEqualTo("etcd-client");
        assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(s.getSpec().getPublishNotReadyAddresses()).isNotEqualTo(Boolean.TRUE);
        assertThat(s.getSpec().getPorts()).extracting(p -> p.getPort()).contains(2379);
    }

    @ParameterizedTest(name = "{0} voters: minAvailable {1}")
    @CsvSource({"1,1", "2,2", "3,2", "4,3", "5,3"})
    void disruptionBudgetKeepsAQuorumOfVoters(int voters, int minAvailable) {
        assertThat(QuorumDisruptionBudget.build(cluster(), voters).getSpec().getMinAvailable().getIntVal()).isEqualTo(minAvailable);
    }

    @Test
    void memberRoleMayOnlyGetItsOwnEtcdCluster() {
        Role role = MemberAccess.role(cluster());
        assertThat(role.getRules()).singleElement().satisfies(r -> {
            assertThat(r.getVerbs()).containsExactly("get");
            assertThat(r.getResources()).containsExactly("etcdclusters");
            assertThat(r.getResourceNames()).containsExactly("etcd");
            assertThat(r.getApiGroups()).containsExactly("etcd.storageos.com");
        });
        assertThat(MemberAccess.roleBinding(cluster()).getSubjects()).singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo("etcd-member"));
    }
}

package com.storageos.etcd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginArgsTest {

    @Test
    void kubectlsGlobalFlagsAreReadInEitherFormAndPlace() throws Exception {
        PluginArgs a = PluginArgs.parse(List.of("-n", "etcd", "status", "storageos-etcd", "--kubeconfig=/tmp/kc", "--context", "prod"));
        assertThat(a.command()).isEqualTo("status");
        assertThat(a.cluster()).contains("storageos-etcd");
        assertThat(a.namespace()).contains("etcd");
        assertThat(a.kubeconfig()).contains("/tmp/kc");
        assertThat(a.context()).contains("prod");
        assertThat(PluginArgs.parse(List.of("status", "--namespace=kv")).namespace()).contains("kv");
        assertThat(PluginArgs.parse(List.of("status")).cluster()).as("the only cluster in the namespace").isEmpty();
    }

    @Test
    void restoreNeedsFromAndTakesForce() throws Exception {
        PluginArgs a = PluginArgs.parse(List.of("restore", "--from", "latest", "--force", "--timeout", "10m"));
        assertThat(a.from()).contains("latest");
        assertThat(a.force()).isTrue();
        assertThat(a.follow()).isTrue();
        assertThat(a.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> PluginArgs.parse(List.of("restore"))).hasMessageContaining("--from latest");
        assertThat(PluginArgs.parse(List.of("restore", "--revision", "1200")).from()).contains("revision:1200");
        assertThat(PluginArgs.parse(List.of("restore", "--time=2026-12-07T15:04:05Z")).from()).contains("2026-12-07T15:04:05Z");
        assertThatThrownBy(() -> PluginArgs.parse(List.of("restore", "--revision", "1200", "--time", "2026-12-07T15:04:05Z")))
                .hasMessageContaining("restore needs one of");
        assertThatThrownBy(() -> PluginArgs.parse(List.of("restore", "--time", "yesterday"))).hasMessageContaining("is none of");
        assertThatThrownBy(() -> PluginArgs.parse(List.of("status", "--revision", "5"))).hasMessageContaining("apply only to restore");
        assertThatThrownBy(() -> PluginArgs.parse(List.of("restore", "--from"))).hasMessage("--from needs a value");
        assertThatThrownBy(() -> PluginArgs.parse(List.of("backup", "--from", "x"))).hasMessage("--from, --revision and --time apply only to restore");
        assertThatThrownBy(() -> PluginArgs.parse(List.of("pause", "--force"))).hasMessageContaining("only to restore and recover");
    }

    @Test
    void backupFollowsOnlyWithWaitTheOthersUnlessNoWait() throws Exception {
        assertThat(PluginArgs.parse(List.of("backup")).follow()).isFalse();
        assertThat(PluginArgs.parse(List.of("backup", "--wait")).follow()).isTrue();
        assertThat(PluginArgs.parse(List.of("rotate-ca")).follow()).isTrue();
        assertThat(PluginArgs.parse(List.of("pause", "--no-wait")).follow()).isFalse();
    }

    @Test
    void helpAndBadInput() throws Exception {
        assertThat(PluginArgs.parse(List.of("--help")).command()).isEqualTo("help");
        assertThat(PluginArgs.parse(List.of("backup", "-h")).command()).isEqualTo("help");
        assertThatThrownBy(() -> PluginArgs.parse(List.of())).hasMessage("no command given");
        assertThatThrownBy(() -> PluginArgs.parse(List.of("promote"))).hasMessage("unknown command promote");
        assertThatThrownBy(() -> PluginArgs.parse(List.of("status", "--verbose"))).hasMessage("unknown flag --verbose");
        assertThatThrownBy(() -> PluginArgs.parse(List.of("status", "a", "b"))).hasMessage("unexpected argument b");
        assertThatThrownBy(() -> PluginArgs.parse(List.of("status", "--timeout", "soon"))).hasMessageContaining("not a duration");
        assertThat(PluginArgs.parse(List.of("status", "--timeout", "90")).timeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aBadCommandLineExitsWithTheUsageCodeAndAnUnreadableKubeconfigWithTheApiCode() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        KubectlEtcd plugin = new KubectlEtcd(new PrintStream(out), new PrintStream(err), Clock.systemUTC());
        assertThat(plugin.run(List.of("promote"))).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("error: unknown command promote");
        assertThat(plugin.run(List.of("status", "--kubeconfig", "/nonexistent/kubeconfig"))).isEqualTo(ExitCode.API);
        assertThat(err.toString()).contains("kubeconfig /nonexistent/kubeconfig cannot be read");
        assertThat(plugin.run(List.of("--help"))).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("Exit codes:").contains("restore --from");
    }
}

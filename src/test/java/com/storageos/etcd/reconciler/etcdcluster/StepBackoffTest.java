package com.storageos.etcd.reconciler.etcdcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StepBackoffTest {

    @Test
    void failuresDoubleFromOneSecondToTheCapAndASuccessStartsAgain() {
        StepBackoff backoff = new StepBackoff();
        assertThat(backoff.failed("a")).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.failed("a")).isEqualTo(Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            backoff.failed("a");
        }
        assertThat(backoff.failed("a")).isEqualTo(Duration.ofSeconds(32));
        backoff.succeeded("a");
        assertThat(backoff.failed("a")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void stepsThatAskToGoOnAtOnceCannotSpin() {
        StepBackoff backoff = new StepBackoff();
        for (int i = 0; i < StepBackoff.MAX_IMMEDIATE; i++) {
            assertThat(backoff.immediate("a")).as("immediate step %d", i + 1).isEqualTo(StepBackoff.IMMEDIATE);
        }
        assertThat(backoff.immediate("a")).as("one too many in a row").isEqualTo(StepBackoff.FIRST);
        assertThat(backoff.immediate("b")).as("another cluster").isEqualTo(StepBackoff.IMMEDIATE);
        backoff.paced("a");
        assertThat(backoff.immediate("a")).as("after a step with its own pace").isEqualTo(StepBackoff.IMMEDIATE);
    }
}

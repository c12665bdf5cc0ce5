package com.storageos.etcd.sandbox.node;

import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Watchable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A level-triggered control loop: runs {@code pass} whenever a watched kind changes, and at least
 * twice a second anyway, so that a dropped watch or a failed pass is repaired by the next one.
 */
final class SyncLoop implements AutoCloseable {
    private final Semaphore wake = new Semaphore(0);
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    SyncLoop(String name, Runnable pass) {
        this.thread = new Thread(() -> {
            while (running) {
                try {
                    wake.tryAcquire(500, TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                    if (running) {
                        pass.run();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    System.err.println(name + ": " + e);
                }
            }
        }, name);
        thread.setDaemon(true);
    }

    <T> void watch(Watchable<T> what) {
        watches.add(what.watch(new Watcher<T>() {
            @Override
            public void eventReceived(Action action, T resource) {
                wake.release();
            }

            @Override
            public void onClose(WatcherException cause) {
                // The periodic pass carries on without it.
            }
        }));
    }

    void start() {
        thread.start();
    }

    void nudge() {
        wake.release();
    }

    @Override
    public void close() {
        running = false;
        watches.forEach(Watch::close);
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

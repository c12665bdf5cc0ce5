package com.storageos.etcd.reconciler.storageossync;

import com.storageos.etcd.api.v1alpha1.status.StorageOSSyncStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * PURE: has the voter set been unchanged for the settle period? A pod restart drops a voter from
 * the healthy set for a few seconds; writing each blip would make StorageOS chase a moving address.
 * The reference point lives in status.storageos (voters, votersStableSince), so an operator
 * restart does not reset the clock.
 */
public final class SettleGate {
    private final Clock clock;

    public SettleGate(Clock clock) {
        this.clock = clock;
    }

    public Verdict evaluate(String voters, StorageOSSyncStatus recorded, Duration settle) {
        Instant now = clock.instant();
        Instant since = stableSince(voters, recorded).orElse(now);
        Duration elapsed = Duration.between(since, now);
        Duration remaining = elapsed.compareTo(settle) >= 0 ? Duration.ZERO : settle.minus(elapsed);
        return new Verdict(voters, since, remaining);
    }

    private static Optional<Instant> stableSince(String voters, StorageOSSyncStatus recorded) {
        if (recorded == null || !Objects.equals(voters, recorded.getVoters()) || recorded.getVotersStableSince() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(recorded.getVotersStableSince()));
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }

    /** The voter set, since when it has been stable, and how long until it counts as settled. */
    public record Verdict(String voters, Instant stableSince, Duration remaining) {
        public boolean settled() {
            return remaining.isZero();
        }
    }
}

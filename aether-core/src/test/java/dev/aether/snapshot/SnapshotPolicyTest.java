package dev.aether.snapshot;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotPolicyTest {

    private static SnapshotProgress progress(long version, long snapshotVersion, Duration took) {
        return new SnapshotProgress("account-1", version, snapshotVersion, (int) (version - snapshotVersion), took);
    }

    @Test
    void everyEventsSavesOnceTheStateIsThatManyVersionsPastTheSnapshot() {
        SnapshotPolicy every3 = SnapshotPolicy.everyEvents(3);

        assertThat(every3.shouldSave(progress(2, 0, Duration.ZERO))).isFalse();
        assertThat(every3.shouldSave(progress(3, 0, Duration.ZERO))).isTrue();
        assertThat(every3.shouldSave(progress(5, 3, Duration.ZERO))).isFalse();
        assertThat(every3.shouldSave(progress(7, 3, Duration.ZERO))).isTrue();
    }

    @Test
    void whenReplayTookLongerThanSavesAfterASlowLoadOnly() {
        SnapshotPolicy slow = SnapshotPolicy.whenReplayTookLongerThan(Duration.ofMillis(50));

        assertThat(slow.shouldSave(progress(1, 0, Duration.ofMillis(50)))).isFalse();
        assertThat(slow.shouldSave(progress(1, 0, Duration.ofMillis(51)))).isTrue();
    }

    @Test
    void policiesCombineAndNeverNeverSaves() {
        SnapshotPolicy either = SnapshotPolicy.everyEvents(10).or(SnapshotPolicy.whenReplayTookLongerThan(Duration.ofSeconds(1)));

        assertThat(either.shouldSave(progress(10, 0, Duration.ZERO))).isTrue();
        assertThat(either.shouldSave(progress(2, 0, Duration.ofSeconds(2)))).isTrue();
        assertThat(either.shouldSave(progress(2, 0, Duration.ZERO))).isFalse();
        assertThat(SnapshotPolicy.never().shouldSave(progress(1_000, 0, Duration.ofHours(1)))).isFalse();
    }

    @Test
    void refusesALimitOrCountOutOfRange() {
        assertThatThrownBy(() -> SnapshotPolicy.everyEvents(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("events must be at least 1, was 0");
        assertThatThrownBy(() -> SnapshotPolicy.whenReplayTookLongerThan(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit must be positive");
        assertThatThrownBy(() -> progress(1, 2, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snapshotVersion must be between 0 and version 1");
    }
}

package dev.aether;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubscriptionLagTest {

    @Test
    void theTotalCountsPendingAndUnacknowledgedEvents() {
        assertThat(new SubscriptionLag(3, 4).total()).isEqualTo(7);
        assertThat(SubscriptionLag.NONE.total()).isZero();
    }

    @Test
    void addsTheLagsOfSeveralStreams() {
        assertThat(new SubscriptionLag(1, 2).plus(new SubscriptionLag(10, 20))).isEqualTo(new SubscriptionLag(11, 22));
    }

    @Test
    void rejectsNegativeCounts() {
        assertThatThrownBy(() -> new SubscriptionLag(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pending -1");
        assertThatThrownBy(() -> new SubscriptionLag(0, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unacknowledged -1");
    }
}

package dev.aether;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubscriptionOptionsTest {

    @Test
    void hasDocumentedDefaults() {
        SubscriptionOptions options = SubscriptionOptions.defaults();
        assertThat(options.durableName()).isNull();
        assertThat(options.startPosition()).isEqualTo(StartPosition.newEvents());
        assertThat(options.maxDeliveries()).isEqualTo(SubscriptionOptions.DEFAULT_MAX_DELIVERIES);
        assertThat(options.retryBackoff()).isEqualTo(SubscriptionOptions.DEFAULT_RETRY_BACKOFF);
        assertThat(options.maxRetryBackoff()).isEqualTo(SubscriptionOptions.DEFAULT_MAX_RETRY_BACKOFF);
    }

    @Test
    void withStartPositionChangesOnlyTheStartPosition() {
        SubscriptionOptions options = SubscriptionOptions.builder().durableName("d").maxDeliveries(3).build();
        SubscriptionOptions fromStart = options.withStartPosition(StartPosition.beginning());
        assertThat(fromStart).isEqualTo(new SubscriptionOptions("d", StartPosition.beginning(), 3,
                options.retryBackoff(), options.maxRetryBackoff()));
        assertThat(options.startPosition()).isEqualTo(StartPosition.newEvents());
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        SubscriptionOptions options = SubscriptionOptions.builder().retryBackoff(Duration.ofMillis(100))
                .maxRetryBackoff(Duration.ofMillis(500)).build();
        assertThat(options.backoffAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(options.backoffAfter(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(options.backoffAfter(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(options.backoffAfter(4)).isEqualTo(Duration.ofMillis(500));
        assertThat(options.backoffAfter(60)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void refusesBadValuesNamingTheField() {
        assertThatThrownBy(() -> SubscriptionOptions.builder().durableName("a.b").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("durableName");
        assertThatThrownBy(() -> SubscriptionOptions.builder().maxDeliveries(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDeliveries");
        assertThatThrownBy(() -> SubscriptionOptions.builder().retryBackoff(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryBackoff");
        assertThatThrownBy(() -> SubscriptionOptions.builder().retryBackoff(Duration.ofSeconds(5))
                .maxRetryBackoff(Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetryBackoff");
        assertThatThrownBy(() -> SubscriptionOptions.builder().startPosition(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("startPosition");
        assertThatThrownBy(() -> StartPosition.at(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position");
    }
}

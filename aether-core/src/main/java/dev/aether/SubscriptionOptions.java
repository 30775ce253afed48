package dev.aether;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a durable subscription reads and retries. Build with {@link #builder()}; every option has a
 * default.
 *
 * @param durableName    the name under which the position is kept, {@code [A-Za-z0-9_-]+}; subscriptions
 *                       sharing a name share the work; {@code null} for a subscription whose position is
 *                       forgotten when it closes
 * @param startPosition  where a subscription without a kept position starts; default {@link StartPosition#newEvents()}
 * @param maxDeliveries  how many times one event is handed to the handler before it is parked, at least 1; default 5
 * @param retryBackoff   wait before the first redelivery after a failure; doubled each time up to
 *                       {@code maxRetryBackoff}; default 1 s
 * @param maxRetryBackoff the longest wait between redeliveries; default 30 s
 * @param partitions     how many partitions a durable subscription's actors are spread over, 1 to
 *                       {@value #MAX_PARTITIONS}; default 1 (no partitions). Above 1 it needs a durable name:
 *                       each partition is handled by one live process of the group at a time, so one actor's
 *                       events are handled in order across processes (see docs/subscriptions.md)
 */
public record SubscriptionOptions(String durableName, StartPosition startPosition, int maxDeliveries,
                                  Duration retryBackoff, Duration maxRetryBackoff, int partitions) {

    /** Default for {@link #maxDeliveries()}. */
    public static final int DEFAULT_MAX_DELIVERIES = 5;
    /** Default for {@link #retryBackoff()}. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
    /** Default for {@link #maxRetryBackoff()}. */
    public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofSeconds(30);
    /** Default for {@link #partitions()}: one, today's unpartitioned subscription. */
    public static final int DEFAULT_PARTITIONS = 1;
    /** The most partitions a subscription may have. */
    public static final int MAX_PARTITIONS = 1024;

    private static final Pattern DURABLE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Validates the options. */
    public SubscriptionOptions {
        if (durableName != null && !DURABLE_NAME.matcher(durableName).matches()) {
            throw new IllegalArgumentException("durableName '" + durableName
                    + "' is malformed: it must be 1 to 64 characters of [A-Za-z0-9_-]");
        }
        Objects.requireNonNull(startPosition, "startPosition must not be null");
        if (maxDeliveries < 1) {
            throw new IllegalArgumentException("maxDeliveries must be at least 1, was " + maxDeliveries);
        }
        requirePositive(retryBackoff, "retryBackoff");
        requirePositive(maxRetryBackoff, "maxRetryBackoff");
        if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("maxRetryBackoff (" + maxRetryBackoff
                    + ") must not be below retryBackoff (" + retryBackoff + ")");
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be 1 to " + MAX_PARTITIONS + ", was " + partitions);
        }
        if (partitions > 1 && durableName == null) {
            throw new IllegalArgumentException("partitions (" + partitions
                    + ") above 1 need a durableName: partitions are shared by the processes of a durable group");
        }
    }

    /** Builds options with one partition; the form before partitions existed. */
    public SubscriptionOptions(String durableName, StartPosition startPosition, int maxDeliveries,
                               Duration retryBackoff, Duration maxRetryBackoff) {
        this(durableName, startPosition, maxDeliveries, retryBackoff, maxRetryBackoff, DEFAULT_PARTITIONS);
    }

    /** @return whether the subscription is split into more than one partition */
    public boolean partitioned() {
        return partitions > 1;
    }

    /** @return options with every default: no durable name, new events only */
    public static SubscriptionOptions defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param position where a subscription without a kept position starts
     * @return a copy of these options with another start position
     */
    public SubscriptionOptions withStartPosition(StartPosition position) {
        return new SubscriptionOptions(durableName, position, maxDeliveries, retryBackoff, maxRetryBackoff, partitions);
    }

    /**
     * @param count a partition count, 1 to {@value #MAX_PARTITIONS} (above 1 only with a durable name)
     * @return a copy of these options with another partition count
     */
    public SubscriptionOptions withPartitions(int count) {
        return new SubscriptionOptions(durableName, startPosition, maxDeliveries, retryBackoff, maxRetryBackoff, count);
    }

    /**
     * @param deliveryAttempt the attempt that failed, from 1
     * @return how long to wait before the next delivery: {@code retryBackoff * 2^(attempt-1)}, capped
     */
    public Duration backoffAfter(int deliveryAttempt) {
        Duration wait = retryBackoff;
        for (int i = 1; i < deliveryAttempt && wait.compareTo(maxRetryBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : wait;
    }

    private static void requirePositive(Duration duration, String field) {
        Objects.requireNonNull(duration, field + " must not be null");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + duration);
        }
    }

    /** Builds {@link SubscriptionOptions}. */
    public static final class Builder {
        private String durableName;
        private StartPosition startPosition = StartPosition.newEvents();
        private int maxDeliveries = DEFAULT_MAX_DELIVERIES;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private Duration maxRetryBackoff = DEFAULT_MAX_RETRY_BACKOFF;
        private int partitions = DEFAULT_PARTITIONS;

        private Builder() {
        }

        /** @param durableName the durable name, or null @return this builder */
        public Builder durableName(String durableName) {
            this.durableName = durableName;
            return this;
        }

        /** @param startPosition where to start without a kept position @return this builder */
        public Builder startPosition(StartPosition startPosition) {
            this.startPosition = startPosition;
            return this;
        }

        /** @param maxDeliveries deliveries of one event before it is parked @return this builder */
        public Builder maxDeliveries(int maxDeliveries) {
            this.maxDeliveries = maxDeliveries;
            return this;
        }

        /** @param retryBackoff the first wait after a failure @return this builder */
        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        /** @param maxRetryBackoff the longest wait after a failure @return this builder */
        public Builder maxRetryBackoff(Duration maxRetryBackoff) {
            this.maxRetryBackoff = maxRetryBackoff;
            return this;
        }

        /** @param partitions partitions of a durable group, 1 to {@value #MAX_PARTITIONS} @return this builder */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** @return the validated options */
        public SubscriptionOptions build() {
            return new SubscriptionOptions(durableName, startPosition, maxDeliveries, retryBackoff, maxRetryBackoff,
                    partitions);
        }
    }
}

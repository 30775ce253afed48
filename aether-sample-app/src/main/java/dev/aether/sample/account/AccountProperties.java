package dev.aether.sample.account;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the account service under {@code sample.accounts.*}.
 *
 * @param snapshotEvery a snapshot is saved whenever an account's version is a multiple of this (default 5)
 * @param maxAttempts   how often a command is decided again after losing a race before it answers
 *                      409 (default 5)
 */
@ConfigurationProperties("sample.accounts")
public record AccountProperties(@DefaultValue("5") int snapshotEvery, @DefaultValue("5") int maxAttempts) {

    /** Validates both values. */
    public AccountProperties {
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("sample.accounts.snapshot-every must be at least 1, was "
                    + snapshotEvery);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("sample.accounts.max-attempts must be at least 1, was " + maxAttempts);
        }
    }
}

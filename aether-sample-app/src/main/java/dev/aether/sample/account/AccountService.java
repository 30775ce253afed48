package dev.aether.sample.account;

import dev.aether.Event;
import dev.aether.VersionConflictException;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs account commands with the caller-side concurrency loop Aether expects: load the account at its
 * latest version, decide, save the command's events from latest + 1 in one batch (a withdrawal with a
 * fee has two: both are saved or neither); when another writer saved that version first
 * ({@link VersionConflictException}), load again and decide again, up to
 * {@link AccountProperties#maxAttempts()} times. The store never retries; this service chooses to.
 *
 * <p>Metrics: {@code sample.accounts.commands} (tags {@code command}, {@code outcome}) and
 * {@code sample.accounts.conflicts} (tag {@code command}), one count per lost race.
 */
@Service
public class AccountService {

    private final AccountRepository repository;
    private final int maxAttempts;
    private final MeterRegistry meters;

    /**
     * @param repository loads and saves accounts
     * @param properties the attempt limit
     * @param meters     where command counts go
     */
    public AccountService(AccountRepository repository, AccountProperties properties, MeterRegistry meters) {
        this.repository = repository;
        this.maxAttempts = properties.maxAttempts();
        this.meters = meters;
    }

    /**
     * Opens an account: saves its first event at version 1, which succeeds only if the id is unused.
     *
     * @param accountId the new account's id
     * @param owner     the account holder
     * @param metadata  the request's ids
     * @return the new account and its event
     * @throws AccountAlreadyExistsException if the id already has events
     */
    public CommandResult open(String accountId, String owner, CommandMetadata metadata) {
        Account initial = Account.initial(accountId);
        Event event = metadata.applyTo(Event.builder().eventType(AccountEvents.OPENED).actorId(accountId).version(1)
                .data(Map.of(AccountEvents.OWNER, owner)), "Open", 1).build();
        try {
            Account opened = repository.append(initial, List.of(event));
            count("Open", "success");
            return new CommandResult(opened, List.of(event), 1);
        } catch (VersionConflictException ex) {
            count("Open", "exists");
            throw new AccountAlreadyExistsException(accountId, ex.currentVersion(), ex);
        }
    }

    /**
     * Pays money into an account.
     *
     * @param accountId the account
     * @param amount    cents, positive
     * @param metadata  the request's ids
     * @return the account after the deposit and its event
     * @throws AccountNotFoundException   if there is no such account
     * @throws ConcurrentUpdateException if every attempt lost its race
     */
    public CommandResult deposit(String accountId, long amount, CommandMetadata metadata) {
        return execute(accountId, "Deposit", metadata, account -> List.of(account.deposit(amount)));
    }

    /**
     * Takes money out of an account and charges a fee, in one batch; the balance never goes below zero.
     *
     * @param accountId the account
     * @param amount    cents, positive
     * @param fee       cents, 0 for none
     * @param metadata  the request's ids
     * @return the account after the withdrawal and its events ({@code MoneyWithdrawn}, then
     *         {@code FeeCharged} when there is a fee)
     * @throws AccountNotFoundException    if there is no such account
     * @throws InsufficientFundsException  if the balance, freshly loaded, is below the amount plus the fee
     * @throws ConcurrentUpdateException  if every attempt lost its race
     */
    public CommandResult withdraw(String accountId, long amount, long fee, CommandMetadata metadata) {
        return execute(accountId, "Withdraw", metadata, account -> account.withdraw(amount, fee));
    }

    private CommandResult execute(String accountId, String command, CommandMetadata metadata,
                                  Function<Account, List<Event.Builder>> decide) {
        VersionConflictException lastConflict = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Account account = repository.load(accountId)
                    .orElseThrow(() -> {
                        count(command, "not-found");
                        return new AccountNotFoundException(accountId);
                    })
                    .account();
            List<Event> events;
            try {
                int decidedOn = attempt;
                events = decide.apply(account).stream()
                        .map(event -> metadata.applyTo(event, command, decidedOn).build()).toList();
            } catch (InsufficientFundsException ex) {
                count(command, "rejected");
                throw ex;
            }
            try {
                Account next = repository.append(account, events);
                count(command, "success");
                return new CommandResult(next, events, attempt);
            } catch (VersionConflictException ex) {
                meters.counter("sample.accounts.conflicts", "command", command).increment();
                lastConflict = ex;
            }
        }
        count(command, "conflict");
        throw new ConcurrentUpdateException(accountId, maxAttempts, lastConflict);
    }

    private void count(String command, String outcome) {
        meters.counter("sample.accounts.commands", "command", command, "outcome", outcome).increment();
    }

    /**
     * What a successful command did.
     *
     * @param account  the account after the events
     * @param events   the saved events, in version order: one, or two for a withdrawal with a fee
     * @param attempts on which attempt they were saved; above 1 when it lost races and reloaded
     */
    public record CommandResult(Account account, List<Event> events, int attempts) {

        /** Copies the events. */
        public CommandResult {
            events = List.copyOf(events);
        }

        /** @return the command's first event ({@code MoneyWithdrawn} for a withdrawal) */
        public Event event() {
            return events.get(0);
        }
    }
}

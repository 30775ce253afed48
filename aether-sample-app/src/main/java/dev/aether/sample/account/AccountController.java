package dev.aether.sample.account;

import dev.aether.sample.api.EventView;
import dev.aether.sample.api.InstanceName;
import dev.aether.sample.api.InvalidFieldException;
import dev.aether.sample.api.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The accounts' JSON API under {@code /api/accounts}. Reads of one account come from the event store;
 * the list comes from the read model. Bad input answers 400 naming the field, an unknown account 404,
 * a withdrawal above the balance 422, and a command that lost its race on every attempt 409 with the
 * current version.
 */
@RestController
@RequestMapping("/api/accounts")
public class AccountController {

    /** Highest amount one command may move, in cents. */
    public static final long MAX_AMOUNT = 1_000_000_000_00L;

    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_OWNER_LENGTH = 100;

    private final AccountService service;
    private final AccountRepository repository;
    private final AccountDirectory directory;
    private final InstanceName instance;
    private final String namespace;

    /**
     * @param service    runs commands
     * @param repository reads accounts from the store
     * @param directory  the read model behind the list
     * @param instance   this instance's name, recorded in event metadata
     * @param namespace  the namespace the store saves into ({@code aether.namespace})
     */
    public AccountController(AccountService service, AccountRepository repository, AccountDirectory directory,
                             InstanceName instance, @Value("${aether.namespace:default}") String namespace) {
        this.service = service;
        this.repository = repository;
        this.directory = directory;
        this.instance = instance;
        this.namespace = namespace;
    }

    /** @return every account the read model knows, by id */
    @GetMapping
    public List<AccountDirectory.Entry> list() {
        return directory.entries();
    }

    /**
     * Opens an account.
     *
     * @param body     {@code owner} (required) and {@code id} (optional, generated when absent)
     * @param request  the request, for its ids
     * @param response the response, to echo the ids
     * @return 201 with the account and its first event
     */
    @PostMapping
    public ResponseEntity<CommandResponse> open(@RequestBody(required = false) OpenAccountRequest body,
                                                HttpServletRequest request, HttpServletResponse response) {
        if (body == null) {
            throw new InvalidFieldException("owner", "is required");
        }
        String owner = body.owner() == null ? "" : body.owner().strip();
        if (owner.isEmpty() || owner.length() > MAX_OWNER_LENGTH || owner.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidFieldException("owner", "is required: 1 to " + MAX_OWNER_LENGTH + " printable characters");
        }
        String id = body.id() == null ? "acc-" + UUID.randomUUID().toString().substring(0, 8) : requireId(body.id());
        AccountService.CommandResult result = service.open(id, owner, metadata(request, response));
        return ResponseEntity.created(URI.create("/api/accounts/" + id)).body(CommandResponse.of(result, namespace));
    }

    /**
     * One account, rebuilt from the store.
     *
     * @param id the account id
     * @return the account and how it was rebuilt
     */
    @GetMapping("/{id}")
    public AccountDetails get(@PathVariable String id) {
        AccountRepository.LoadedAccount loaded = repository.load(requireId(id))
                .orElseThrow(() -> new AccountNotFoundException(id));
        return new AccountDetails(AccountView.of(loaded.account()), loaded.snapshotVersion(), loaded.eventsReplayed());
    }

    /**
     * One account's event stream.
     *
     * @param id          the account id
     * @param fromVersion the first version wanted (default 1)
     * @return its events, ascending by version
     */
    @GetMapping("/{id}/events")
    public List<EventView> events(@PathVariable String id, @RequestParam(defaultValue = "1") long fromVersion) {
        if (fromVersion < 1) {
            throw new InvalidFieldException("fromVersion", "must be at least 1");
        }
        List<EventView> events = repository.events(requireId(id), fromVersion).stream()
                .map(event -> EventView.of(namespace, event)).toList();
        if (events.isEmpty() && !repository.load(id).isPresent()) {
            throw new AccountNotFoundException(id);
        }
        return events;
    }

    /**
     * Pays money in.
     *
     * @param id       the account id
     * @param body     {@code amount} in cents, positive
     * @param request  the request, for its ids
     * @param response the response, to echo the ids
     * @return the account after the deposit and its event
     */
    @PostMapping("/{id}/deposits")
    public CommandResponse deposit(@PathVariable String id, @RequestBody(required = false) AmountRequest body,
                                   HttpServletRequest request, HttpServletResponse response) {
        long amount = requireAmount(body == null ? null : body.amount());
        return CommandResponse.of(service.deposit(requireId(id), amount, metadata(request, response)), namespace);
    }

    /**
     * Takes money out and charges the fee, if any, in one batch: both events are saved or neither.
     * The balance never goes negative.
     *
     * @param id       the account id
     * @param body     {@code amount} in cents, positive; {@code fee} in cents, optional, 0 or more
     * @param request  the request, for its ids
     * @param response the response, to echo the ids
     * @return the account after the withdrawal and its events
     */
    @PostMapping("/{id}/withdrawals")
    public CommandResponse withdraw(@PathVariable String id, @RequestBody(required = false) WithdrawalRequest body,
                                    HttpServletRequest request, HttpServletResponse response) {
        long amount = requireAmount(body == null ? null : body.amount());
        return CommandResponse.of(service.withdraw(requireId(id), amount, requireFee(body.fee()),
                metadata(request, response)), namespace);
    }

    private CommandMetadata metadata(HttpServletRequest request, HttpServletResponse response) {
        RequestIds ids = RequestIds.from(request, response);
        return new CommandMetadata(ids.correlationId(), ids.requestId(), ids.userId(), instance.get());
    }

    private static String requireId(String id) {
        if (!ACCOUNT_ID.matcher(id).matches()) {
            throw new InvalidFieldException("id", "must be 1 to 64 characters of [A-Za-z0-9_-]");
        }
        return id;
    }

    private static long requireAmount(Long amount) {
        if (amount == null) {
            throw new InvalidFieldException("amount", "is required: a whole number of cents");
        }
        if (amount < 1 || amount > MAX_AMOUNT) {
            throw new InvalidFieldException("amount", "must be between 1 and " + MAX_AMOUNT + " cents, was " + amount);
        }
        return amount;
    }

    private static long requireFee(Long fee) {
        if (fee == null) {
            return 0;
        }
        if (fee < 0 || fee > MAX_AMOUNT) {
            throw new InvalidFieldException("fee", "must be between 0 and " + MAX_AMOUNT + " cents, was " + fee);
        }
        return fee;
    }

    /**
     * Body of {@code POST /api/accounts}.
     *
     * @param id    the account id, optional
     * @param owner the account holder
     */
    public record OpenAccountRequest(String id, String owner) {
    }

    /**
     * Body of a deposit or withdrawal.
     *
     * @param amount cents, positive
     */
    public record AmountRequest(Long amount) {
    }

    /**
     * Body of a withdrawal.
     *
     * @param amount cents, positive
     * @param fee    cents charged on top, 0 or more; none when absent
     */
    public record WithdrawalRequest(Long amount, Long fee) {
    }

    /**
     * An account as the API shows it.
     *
     * @param id      the account id
     * @param owner   the account holder
     * @param balance cents
     * @param version the version of its last event
     */
    public record AccountView(String id, String owner, long balance, long version) {

        static AccountView of(Account account) {
            return new AccountView(account.id(), account.owner(), account.balance(), account.version());
        }
    }

    /**
     * One account read from the store.
     *
     * @param account         the account
     * @param snapshotVersion the snapshot it was rebuilt from, 0 for none
     * @param eventsReplayed  how many events were replayed on top of the snapshot
     */
    public record AccountDetails(AccountView account, long snapshotVersion, int eventsReplayed) {
    }

    /**
     * What a command did.
     *
     * @param account  the account afterwards
     * @param event    the command's first saved event
     * @param events   every event it saved, in version order (two for a withdrawal with a fee)
     * @param attempts the attempt that saved them; above 1 after lost races
     */
    public record CommandResponse(AccountView account, EventView event, List<EventView> events, int attempts) {

        static CommandResponse of(AccountService.CommandResult result, String namespace) {
            List<EventView> events = result.events().stream().map(event -> EventView.of(namespace, event)).toList();
            return new CommandResponse(AccountView.of(result.account()), events.get(0), events, result.attempts());
        }
    }
}

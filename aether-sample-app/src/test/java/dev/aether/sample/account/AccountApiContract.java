package dev.aether.sample.account;

import dev.aether.Event;
import dev.aether.SnapshotStore;
import dev.aether.snapshot.ActorLoader;
import dev.aether.sample.ApiClient;
import dev.aether.sample.ApiClient.Response;
import dev.aether.sample.feed.LiveFeed;
import dev.aether.sample.payments.PaymentsLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's REST API, written once and run on every store: each subclass starts the application on
 * one store. Every test works on accounts of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.accounts.snapshot-every=5", "sample.accounts.max-attempts=3"})
@Import(AccountApiContract.RaceInjection.class)
public abstract class AccountApiContract {

    private static final Duration DELIVERY = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    @Autowired
    SnapshotStore store;

    @Autowired
    AccountDirectory directory;

    @Autowired
    PaymentsLog paymentsLog;

    @Autowired
    LiveFeed feed;

    @Autowired
    RaceInjection raceInjection;

    ApiClient api;

    /**
     * Saves an event in the namespace {@code payments.cards}, outside the service's own namespace.
     *
     * @param event the event
     */
    protected abstract void saveInPaymentsNamespace(Event event);

    @BeforeEach
    void connect() {
        api = new ApiClient(port);
    }

    @Test
    void opensAnAccountAndAnswers201WithItsFirstEvent() {
        String id = newAccountId();

        Response response = open(id, "Ada Lovelace");

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.header("Location")).isEqualTo("/api/accounts/" + id);
        assertThat(response.json().path("account").path("owner").asString()).isEqualTo("Ada Lovelace");
        assertThat(response.json().path("account").path("version").asLong()).isEqualTo(1);
        assertThat(response.json().path("event").path("type").asString()).isEqualTo(AccountEvents.OPENED);
        assertThat(response.json().path("event").path("namespace").asString()).isEqualTo("bank.accounts");
    }

    @Test
    void generatesAnIdWhenTheRequestHasNone() {
        Response response = api.post("/api/accounts", "{\"owner\":\"Grace\"}");

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        String id = response.json().path("account").path("id").asString();
        assertThat(id).startsWith("acc-");
        assertThat(api.get("/api/accounts/" + id).status()).isEqualTo(200);
    }

    @Test
    void carriesTheCorrelationIdAndTheRequestIdIntoEventMetadata() {
        String id = newAccountId();
        open(id, "Ada");

        Response deposit = api.post("/api/accounts/" + id + "/deposits", "{\"amount\":250}",
                "X-Correlation-Id", "checkout-42", "X-Request-Id", "req-7", "X-User-Id", "ada");

        assertThat(deposit.status()).as(deposit.toString()).isEqualTo(200);
        assertThat(deposit.header("X-Correlation-Id")).isEqualTo("checkout-42");
        assertThat(deposit.header("X-Request-Id")).isEqualTo("req-7");
        JsonNode stored = lastEvent(id);
        assertThat(stored.path("metadata").path("correlationId").asString()).isEqualTo("checkout-42");
        assertThat(stored.path("metadata").path("causationId").asString()).isEqualTo("req-7");
        assertThat(stored.path("metadata").path("userId").asString()).isEqualTo("ada");
        assertThat(stored.path("metadata").path("origin").asString()).endsWith(":" + port);
    }

    @Test
    void generatesCorrelationAndCausationIdsAndEchoesThem() {
        String id = newAccountId();

        Response response = open(id, "Ada");

        String correlationId = response.header("X-Correlation-Id");
        String requestId = response.header("X-Request-Id");
        assertThat(correlationId).isNotBlank().isNotEqualTo(requestId);
        assertThat(requestId).isNotBlank();
        JsonNode stored = lastEvent(id);
        assertThat(stored.path("metadata").path("correlationId").asString()).isEqualTo(correlationId);
        assertThat(stored.path("metadata").path("causationId").asString()).isEqualTo(requestId);
    }

    @Test
    void depositsAndWithdrawsAndReadsTheStreamBack() {
        String id = newAccountId();
        open(id, "Ada");

        assertThat(deposit(id, 1000).status()).isEqualTo(200);
        Response withdrawal = withdraw(id, 300);

        assertThat(withdrawal.status()).as(withdrawal.toString()).isEqualTo(200);
        assertThat(withdrawal.json().path("account").path("balance").asLong()).isEqualTo(700);
        assertThat(withdrawal.json().path("event").path("version").asLong()).isEqualTo(3);
        assertThat(withdrawal.json().path("attempts").asInt()).isEqualTo(1);
        Response account = api.get("/api/accounts/" + id);
        assertThat(account.json().path("account").path("balance").asLong()).isEqualTo(700);
        Response events = api.get("/api/accounts/" + id + "/events");
        assertThat(events.json().values()).extracting(event -> event.path("type").asString())
                .containsExactly(AccountEvents.OPENED, AccountEvents.DEPOSITED, AccountEvents.WITHDRAWN);
        assertThat(events.json().values()).extracting(event -> event.path("version").asLong())
                .containsExactly(1L, 2L, 3L);
        assertThat(api.get("/api/accounts/" + id + "/events?fromVersion=3").json().size()).isEqualTo(1);
    }

    @Test
    void aWithdrawalWithAFeeSavesBothEventsTogetherAndTheReadModelFoldsBoth() {
        String id = newAccountId();
        open(id, "Ada");
        deposit(id, 1000);

        Response withdrawal = withdraw(id, 300, 25);

        assertThat(withdrawal.status()).as(withdrawal.toString()).isEqualTo(200);
        assertThat(withdrawal.json().path("account").path("balance").asLong()).isEqualTo(675);
        assertThat(withdrawal.json().path("account").path("version").asLong()).isEqualTo(4);
        assertThat(withdrawal.json().path("event").path("type").asString()).isEqualTo(AccountEvents.WITHDRAWN);
        assertThat(withdrawal.json().path("events").values()).extracting(event -> event.path("type").asString())
                .containsExactly(AccountEvents.WITHDRAWN, AccountEvents.FEE_CHARGED);
        assertThat(api.get("/api/accounts/" + id + "/events?fromVersion=3").json().values())
                .extracting(event -> event.path("type").asString() + "@" + event.path("version").asLong())
                .containsExactly(AccountEvents.WITHDRAWN + "@3", AccountEvents.FEE_CHARGED + "@4");
        assertThat(api.get("/api/accounts/" + id).json().path("account").path("balance").asLong()).isEqualTo(675);
        await().atMost(DELIVERY).untilAsserted(() -> assertThat(directory.entries())
                .anySatisfy(entry -> {
                    assertThat(entry.id()).isEqualTo(id);
                    assertThat(entry.balance()).isEqualTo(675);
                    assertThat(entry.version()).isEqualTo(4);
                }));
    }

    @Test
    void answers422AndSavesNeitherEventWhenTheFeeTakesAWithdrawalAboveTheBalance() {
        String id = newAccountId();
        open(id, "Ada");
        deposit(id, 100);

        Response response = withdraw(id, 90, 11);

        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(store.getLatestVersion(id)).isEqualTo(2);
        assertThat(withdraw(id, 90, 10).status()).isEqualTo(200);
        assertThat(store.getLatestVersion(id)).isEqualTo(4);
    }

    @Test
    void aWithdrawalWithAFeeThatLosesEveryRaceSavesNeitherEvent() {
        String id = newAccountId();
        open(id, "Ada");
        deposit(id, 100);
        raceInjectingStore().loseNextRaces(id, 3);

        Response response = withdraw(id, 50, 5);

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(store.getEvents(id, 1)).extracting(Event::eventType)
                .doesNotContain(AccountEvents.WITHDRAWN, AccountEvents.FEE_CHARGED);
    }

    @Test
    void answers400NamingTheFieldForBadInput() {
        String id = newAccountId();
        open(id, "Ada");

        assertBadRequest(api.post("/api/accounts", "{\"owner\":\"  \"}"), "owner");
        assertBadRequest(api.post("/api/accounts", null), "owner");
        assertBadRequest(api.post("/api/accounts", "{\"owner\":\"Ada\",\"id\":\"has space\"}"), "id");
        assertBadRequest(api.post("/api/accounts/" + id + "/deposits", "{}"), "amount");
        assertBadRequest(api.post("/api/accounts/" + id + "/deposits", "{\"amount\":0}"), "amount");
        assertBadRequest(api.post("/api/accounts/" + id + "/withdrawals", "{\"amount\":-5}"), "amount");
        assertBadRequest(api.post("/api/accounts/" + id + "/withdrawals", "{\"amount\":5,\"fee\":-1}"), "fee");
        assertBadRequest(api.post("/api/accounts/" + id + "/withdrawals", "{\"fee\":1}"), "amount");
        assertBadRequest(api.post("/api/accounts/" + id + "/deposits", "{\"amount\":\"ten\"}"), "amount");
        assertBadRequest(api.post("/api/accounts/" + id + "/deposits", "{not json"), "body");
        assertBadRequest(api.post("/api/accounts/" + id + "/deposits", "{\"amount\":5}", "X-Correlation-Id", "a b"),
                "X-Correlation-Id");
        assertBadRequest(api.get("/api/accounts/" + id + "/events?fromVersion=0"), "fromVersion");
        assertThat(api.get("/api/accounts/" + id).json().path("account").path("version").asLong()).isEqualTo(1);
    }

    @Test
    void answers404ForAnUnknownAccount() {
        String id = newAccountId();

        for (Response response : List.of(api.get("/api/accounts/" + id), api.get("/api/accounts/" + id + "/events"),
                deposit(id, 10), withdraw(id, 10))) {
            assertThat(response.status()).as(response.toString()).isEqualTo(404);
            assertThat(response.json().path("accountId").asString()).isEqualTo(id);
        }
        assertThat(store.getLatestVersion(id)).isZero();
    }

    @Test
    void answers422AndSavesNothingWhenAWithdrawalExceedsTheBalance() {
        String id = newAccountId();
        open(id, "Ada");
        deposit(id, 100);

        Response response = withdraw(id, 101);

        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.json().path("balance").asLong()).isEqualTo(100);
        assertThat(response.json().path("currentVersion").asLong()).isEqualTo(2);
        assertThat(store.getLatestVersion(id)).isEqualTo(2);
    }

    @Test
    void answers409WithTheCurrentVersionWhenOpeningAnIdThatExists() {
        String id = newAccountId();
        open(id, "Ada");
        deposit(id, 5);

        Response response = open(id, "Mallory");

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(response.json().path("currentVersion").asLong()).isEqualTo(2);
        assertThat(api.get("/api/accounts/" + id).json().path("account").path("owner").asString()).isEqualTo("Ada");
    }

    @Test
    void reloadsAndDecidesAgainAfterLosingARace() {
        String id = newAccountId();
        open(id, "Ada");
        deposit(id, 100);
        raceInjectingStore().loseNextRaces(id, 2);

        Response response = withdraw(id, 100);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().path("attempts").asInt()).isEqualTo(3);
        assertThat(response.json().path("event").path("version").asLong()).isEqualTo(5);
        assertThat(response.json().path("account").path("balance").asLong()).isEqualTo(2);
        assertThat(lastEvent(id).path("metadata").path("attempt").asString()).isEqualTo("3");
    }

    @Test
    void answers409WithTheCurrentVersionWhenEveryAttemptLosesItsRace() {
        String id = newAccountId();
        open(id, "Ada");
        raceInjectingStore().loseNextRaces(id, 3);

        Response response = deposit(id, 10);

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(response.json().path("currentVersion").asLong()).isEqualTo(4);
        assertThat(response.json().path("attempts").asInt()).isEqualTo(3);
        assertThat(store.getEvents(id, 1)).noneMatch(event -> ((Number) event.data()
                .getOrDefault(AccountEvents.AMOUNT, 0)).longValue() == 10);
    }

    @Test
    void rebuildsAnAccountFromItsLatestSnapshotAndTheEventsAfterIt() {
        String id = newAccountId();
        open(id, "Ada");
        for (int i = 1; i <= 6; i++) {
            deposit(id, 100);
        }

        Response response = api.get("/api/accounts/" + id);

        assertThat(store.getLatestSnapshot(id)).hasValueSatisfying(snapshot -> {
            assertThat(snapshot.version()).isEqualTo(5);
            assertThat(((Map<?, ?>) snapshot.state().get(ActorLoader.STATE)).get(AccountEvents.BALANCE)).isEqualTo(400);
        });
        assertThat(response.json().path("snapshotVersion").asLong()).isEqualTo(5);
        assertThat(response.json().path("eventsReplayed").asInt()).isEqualTo(2);
        assertThat(response.json().path("account").path("balance").asLong()).isEqualTo(600);
        assertThat(response.json().path("account").path("version").asLong()).isEqualTo(7);
    }

    @Test
    void parallelWithdrawalsNeverOverdrawAndNeverLoseAnUpdate() throws Exception {
        String id = newAccountId();
        open(id, "Ada");
        deposit(id, 1_000);
        int withdrawals = 40;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < withdrawals; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return withdraw(id, 100);
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }

            assertThat(responses).allSatisfy(response -> assertThat(response.status()).as(response.toString())
                    .isIn(200, 409, 422));
            List<Response> successes = responses.stream().filter(response -> response.status() == 200).toList();
            List<Response> lostRaces = responses.stream().filter(response -> response.status() == 409).toList();
            assertThat(successes).isNotEmpty().hasSizeLessThanOrEqualTo(10);
            assertThat(lostRaces).allSatisfy(response -> {
                assertThat(response.json().path("attempts").asInt()).isEqualTo(3);
                assertThat(response.json().path("currentVersion").asLong()).isBetween(3L, 2L + successes.size());
            });

            List<Event> stream = store.getEvents(id, 1);
            assertThat(stream).extracting(Event::version)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 2 + successes.size())
                            .boxed().toList());
            Set<String> savedIds = Set.copyOf(stream.stream().map(Event::id).toList());
            assertThat(successes).allSatisfy(response -> assertThat(savedIds)
                    .contains(response.json().path("event").path("id").asString()));
            long expectedBalance = 1_000 - 100L * successes.size();
            assertThat(expectedBalance).isNotNegative();
            assertThat(api.get("/api/accounts/" + id).json().path("account").path("balance").asLong())
                    .isEqualTo(expectedBalance);
            for (Event event : stream) {
                assertThat(((Number) event.data().getOrDefault(AccountEvents.BALANCE, 0)).longValue())
                        .isNotNegative();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theReadModelListsAccountsThroughItsSubscriber() {
        String id = newAccountId();
        open(id, "Ada");
        deposit(id, 321);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(api.get("/api/accounts").json().values())
                .anySatisfy(entry -> {
                    assertThat(entry.path("id").asString()).isEqualTo(id);
                    assertThat(entry.path("owner").asString()).isEqualTo("Ada");
                    assertThat(entry.path("balance").asLong()).isEqualTo(321);
                    assertThat(entry.path("version").asLong()).isEqualTo(2);
                }));
    }

    @Test
    void subscribersOnOtherNamespacesNeverSeeEachOthersEvents() {
        String accountId = newAccountId();
        open(accountId, "Ada");
        await().atMost(DELIVERY).until(() -> directory.entries().stream().anyMatch(e -> e.id().equals(accountId))
                && feed.recent().stream().anyMatch(event -> event.actorId().equals(accountId)));
        String paymentId = "card-" + UUID.randomUUID().toString().substring(0, 8);

        Event payment = Event.builder().eventType("CardCharged").actorId(paymentId).version(1)
                .data(Map.of("amount", 999)).build();
        saveInPaymentsNamespace(payment);

        await().atMost(DELIVERY).untilAsserted(() -> assertThat(paymentsLog.recent())
                .anySatisfy(event -> {
                    assertThat(event.id()).isEqualTo(payment.id());
                    assertThat(event.namespace()).isEqualTo("payments.cards");
                }));
        assertThat(paymentsLog.recent()).noneMatch(event -> event.actorId().equals(accountId));
        assertThat(directory.entries()).noneMatch(entry -> entry.id().equals(paymentId));
        assertThat(feed.recent()).noneMatch(event -> event.actorId().equals(paymentId));
        assertThat(api.get("/api/payments-log").json().path("received").asLong()).isPositive();
    }

    private RaceInjectingStore raceInjectingStore() {
        return raceInjection.store();
    }

    private Response open(String id, String owner) {
        return api.post("/api/accounts", "{\"id\":\"" + id + "\",\"owner\":\"" + owner + "\"}");
    }

    private Response deposit(String id, long amount) {
        return api.post("/api/accounts/" + id + "/deposits", "{\"amount\":" + amount + "}");
    }

    private Response withdraw(String id, long amount) {
        return api.post("/api/accounts/" + id + "/withdrawals", "{\"amount\":" + amount + "}");
    }

    private Response withdraw(String id, long amount, long fee) {
        return api.post("/api/accounts/" + id + "/withdrawals", "{\"amount\":" + amount + ",\"fee\":" + fee + "}");
    }

    private JsonNode lastEvent(String id) {
        List<JsonNode> events = List.copyOf(api.get("/api/accounts/" + id + "/events").json().values());
        return events.get(events.size() - 1);
    }

    private static void assertBadRequest(Response response, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().path("field").asString()).as(response.toString()).isEqualTo(field);
        assertThat(response.json().path("detail").asString()).as(response.toString()).contains(field);
    }

    private static String newAccountId() {
        return "acc-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** Wraps the starter's store so that tests can make saves lose their race on demand. */
    @TestConfiguration(proxyBeanMethods = false)
    static class RaceInjection implements BeanPostProcessor {

        private volatile RaceInjectingStore store;

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (bean instanceof SnapshotStore snapshotStore && "aetherEventStore".equals(beanName)) {
                store = new RaceInjectingStore(snapshotStore);
                return store;
            }
            return bean;
        }

        RaceInjectingStore store() {
            return store;
        }
    }
}

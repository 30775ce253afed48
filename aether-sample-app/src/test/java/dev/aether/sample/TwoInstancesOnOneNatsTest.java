package dev.aether.sample;

import dev.aether.test.nats.NatsServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the service with the {@code nats} profile on one private nats-server, as the README
 * runs them on two ports: a command on one reaches the live feed and the read model of the other.
 */
class TwoInstancesOnOneNatsTest {

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void startBoth() {
        first = start();
        second = start();
    }

    @AfterAll
    static void stopBoth() {
        // Before the extension stops the server, so that both drain cleanly.
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    @Test
    void aCommandOnOneInstanceReachesTheLiveFeedAndReadModelOfTheOther() {
        List<String> feedOfSecond = new CopyOnWriteArrayList<>();
        HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(url(second) + "/api/feed")).build(),
                HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> response.body().forEach(feedOfSecond::add));
        await().atMost(Duration.ofSeconds(15)).until(() -> feedOfSecond.contains("event:ready"));

        ApiClient.Response opened = new ApiClient(port(first)).post("/api/accounts",
                "{\"id\":\"shared-1\",\"owner\":\"Ada\"}", "X-Correlation-Id", "two-instances");

        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        String eventId = opened.json().path("event").path("id").asString();
        await().atMost(Duration.ofSeconds(15)).until(() -> feedOfSecond.stream()
                .anyMatch(line -> line.startsWith("data:") && line.contains(eventId)
                        && line.contains("\"origin\":\"" + opened.json().path("event").path("metadata")
                        .path("origin").asString() + "\"")));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                new ApiClient(port(second)).get("/api/accounts").json().values())
                .anySatisfy(entry -> assertThat(entry.path("id").asString()).isEqualTo("shared-1")));
        assertThat(new ApiClient(port(second)).get("/api/accounts/shared-1").json().path("account").path("owner")
                .asString()).isEqualTo("Ada");
    }

    @Test
    void anInstanceStartedLaterRebuildsTheReadModelFromTheStream() {
        ApiClient.Response opened = new ApiClient(port(first)).post("/api/accounts",
                "{\"id\":\"early-1\",\"owner\":\"Grace\"}", "X-Correlation-Id", "before-third");
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);

        try (ConfigurableApplicationContext third = start()) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                    new ApiClient(port(third)).get("/api/accounts").json().values())
                    .anySatisfy(entry -> {
                        assertThat(entry.path("id").asString()).isEqualTo("early-1");
                        assertThat(entry.path("owner").asString()).isEqualTo("Grace");
                    }));
        }
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SampleApplication.class).run("--spring.profiles.active=nats",
                "--server.port=0", "--aether.nats.servers=" + NATS.url(), "--aether.nats.drain-timeout=1s");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static String url(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + port(context);
    }
}

package dev.aether.sample;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The app with no configuration at all: in-memory store, the page, and the actuator endpoints. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTest {

    @LocalServerPort
    int port;

    @Test
    void startsWithNoExternalServiceAndShowsTheAetherHealthComponent() {
        ApiClient.Response health = new ApiClient(port).get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
        JsonNode aether = health.json().path("components").path("aether");
        assertThat(aether.path("status").asString()).isEqualTo("UP");
        assertThat(aether.path("details").path("storeType").asString()).isEqualTo("memory");
        assertThat(aether.path("details").path("namespace").asString()).isEqualTo("bank.accounts");
    }

    @Test
    void describesItselfOnTheInfoEndpoint() {
        ApiClient.Response info = new ApiClient(port).get("/actuator/info");

        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().path("app").path("name").asString()).isEqualTo("Aether sample bank");
        assertThat(info.json().path("java").path("version").asString()).isNotBlank();
    }

    @Test
    void countsCommandsAndStoreSavesOnTheMetricsEndpoint() {
        ApiClient api = new ApiClient(port);
        api.post("/api/accounts", "{\"id\":\"metrics-1\",\"owner\":\"Ada\"}");

        ApiClient.Response commands = api.get("/actuator/metrics/sample.accounts.commands?tag=command:Open");
        ApiClient.Response saves = api.get("/actuator/metrics/aether.store.save");

        assertThat(commands.status()).as(commands.toString()).isEqualTo(200);
        assertThat(commands.json().path("measurements").path(0).path("value").asDouble()).isGreaterThanOrEqualTo(1);
        assertThat(saves.status()).as(saves.toString()).isEqualTo(200);
    }

    @Test
    void servesThePageAndItsScript() {
        ApiClient.Response page = new ApiClient(port).get("/");
        ApiClient.Response script = new ApiClient(port).get("/app.js");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().body()).contains("<title>Aether sample bank</title>").contains("app.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.raw().body()).contains("new EventSource('/api/feed')");
    }
}

package dev.aether;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubscriptionFilterTest {

    private static Event event(String type, String actor) {
        return Event.builder().eventType(type).actorId(actor).version(1).data(Map.of()).build();
    }

    @Test
    void allLetsEverythingThrough() {
        assertThat(SubscriptionFilter.all().matches(event("A", "x.y"))).isTrue();
    }

    @Test
    void filtersByTypeAndActorPattern() {
        SubscriptionFilter filter = SubscriptionFilter.eventTypes("Placed").withActorPattern("eu.>");
        assertThat(filter.matches(event("Placed", "eu.1"))).isTrue();
        assertThat(filter.matches(event("Placed", "eu.1.2"))).isTrue();
        assertThat(filter.matches(event("Placed", "eu"))).isFalse();
        assertThat(filter.matches(event("Shipped", "eu.1"))).isFalse();
    }

    @Test
    void anEmptyActorPatternMeansAnyActor() {
        assertThat(SubscriptionFilter.all().withActorPattern("").actorPattern()).isNull();
        assertThat(SubscriptionFilter.all().withActorPattern("").matches(event("A", "anyone"))).isTrue();
    }

    @Test
    void actorPatternTokensMatchLiterallyExceptWildcards() {
        SubscriptionFilter filter = SubscriptionFilter.all().withActorPattern("a b.*");
        assertThat(filter.matches(event("A", "a b.1"))).isTrue();
        assertThat(filter.matches(event("A", "a.1"))).isFalse();
    }

    @Test
    void emptyTokensOfAnActorIdAreTokensLikeAnyOther() {
        assertThat(SubscriptionFilter.all().withActorPattern("eu.*").matches(event("A", "eu."))).isTrue();
        assertThat(SubscriptionFilter.all().withActorPattern("eu.>").matches(event("A", "eu..x"))).isTrue();
        assertThat(SubscriptionFilter.all().withActorPattern("eu.*").matches(event("A", "eu..x"))).isFalse();
        assertThat(SubscriptionFilter.all().withActorPattern("eu").matches(event("A", "eu."))).isFalse();
        assertThat(SubscriptionFilter.all().withActorPattern("eu.x").matches(event("A", "eu.xy"))).isFalse();
    }

    @Test
    void copiesTheTypeSetAndRefusesBadInput() {
        Set<String> types = new HashSet<>(Set.of("A"));
        SubscriptionFilter filter = new SubscriptionFilter(types, null);
        types.add("B");
        assertThat(filter.eventTypes()).containsExactly("A");

        assertThatThrownBy(() -> new SubscriptionFilter(null, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("eventTypes");
        assertThatThrownBy(() -> SubscriptionFilter.eventTypes(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eventTypes");
        assertThatThrownBy(() -> SubscriptionFilter.all().withActorPattern("a.>.b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actorPattern");
    }
}

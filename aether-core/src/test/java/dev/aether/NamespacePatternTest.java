package dev.aether;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamespacePatternTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "a.*.c, a.b.c, true",
            "a.*.c, a.b.d, false",
            "a.*.c, a.c, false",
            "a.>, a.b.c.d.e, true",
            "tenant-a.>, tenant-b.x, false",
            "tenant_a, tenant_a, true",
            "orders, orders-eu, false",
            "*.orders.>, t1.orders.eu.x, true",
            "*.*, a.b, true",
            ">, a, true"
    })
    void matchesWithNatsWildcardRules(String pattern, String namespace, boolean matches) {
        assertThat(NamespacePattern.of(pattern).matches(namespace)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders.>.eu", "", "orders..eu", ".orders", "orders.", "orders.e*", "ord>", "a b"})
    void refusesMalformedPatterns(String pattern) {
        assertThatThrownBy(() -> NamespacePattern.of(pattern)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespacePattern");
    }

    @Test
    void knowsWhetherItHasAWildcard() {
        assertThat(NamespacePattern.of("orders.eu").hasWildcard()).isFalse();
        assertThat(NamespacePattern.of("orders.*").hasWildcard()).isTrue();
        assertThat(NamespacePattern.of("orders.>").hasWildcard()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders", "tenant-a.orders", "a_b.C-9"})
    void acceptsWellFormedNamespaces(String namespace) {
        assertThat(Namespace.requireValid(namespace)).isEqualTo(namespace);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "orders.*", "orders.>", "a..b", "a b", "ä"})
    void refusesMalformedNamespaces(String namespace) {
        assertThatThrownBy(() -> Namespace.requireValid(namespace)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace");
    }

    @Test
    void refusesNullAndOverlongNamespaces() {
        assertThatThrownBy(() -> Namespace.requireValid(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("namespace");
        assertThatThrownBy(() -> Namespace.requireValid("a".repeat(Namespace.MAX_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most " + Namespace.MAX_LENGTH);
    }
}

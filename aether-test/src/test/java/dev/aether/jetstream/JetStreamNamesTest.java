package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The public names match the table in docs/wire-format.md and refuse what the store refuses. */
class JetStreamNamesTest {

    @Test
    void namesANamespacesResourcesAsTheWireFormatPageDoes() {
        assertThat(JetStreamNames.DEFAULT_PREFIX).isEqualTo("AETHER");
        assertThat(JetStreamNames.streamName("AETHER", "tenant-a.orders")).isEqualTo("AETHER_tenant-a_2Eorders");
        assertThat(JetStreamNames.streamSubjects("AETHER", "tenant-a.orders")).isEqualTo("AETHER.tenant-a.orders.*");
        assertThat(JetStreamNames.snapshotBucket("AETHER", "tenant-a.orders"))
                .isEqualTo("AETHER_snapshots_tenant-a_2Eorders");
        assertThat(JetStreamNames.busSubject("AETHER", "tenant-a.orders")).isEqualTo("AETHER_bus.tenant-a.orders");
        assertThat(JetStreamNames.parkingStream("AETHER")).isEqualTo("AETHER__PARKED");
    }

    @Test
    void namesTheSubjectsOfBothLayoutsAsTheWireFormatPageDoes() {
        assertThat(JetStreamNames.streamSubjects("AETHER", "tenant-a.orders", SubjectLayout.FLAT))
                .isEqualTo("AETHER.tenant-a.orders.*");
        assertThat(JetStreamNames.streamSubjects("AETHER", "tenant-a.orders", SubjectLayout.PARTITIONED))
                .isEqualTo("AETHER.tenant-a.orders.*.*.*.*.*.*.*.*.*.*.*");
        assertThat(JetStreamNames.actorSubject("AETHER", "tenant-a.orders", SubjectLayout.FLAT, "order 1"))
                .isEqualTo("AETHER.tenant-a.orders.order_201");
        assertThat(JetStreamNames.actorSubject("AETHER", "tenant-a.orders", SubjectLayout.PARTITIONED, "order 1"))
                .isEqualTo("AETHER.tenant-a.orders.0.0.1.1.0.1.0.1.0.0.order_201");
        assertThatThrownBy(() -> JetStreamNames.actorSubject("AETHER", "tenant-a.orders", null, "order 1"))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("subjectLayout");
    }

    @Test
    void refusesAMalformedPrefixNamingTheFieldAndTheRule() {
        assertThat(JetStreamNames.requireValidPrefix("ACME-1")).isEqualTo("ACME-1");
        assertThatThrownBy(() -> JetStreamNames.requireValidPrefix("a_b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamPrefix")
                .hasMessageContaining("[A-Za-z0-9-]");
        assertThatThrownBy(() -> JetStreamNames.streamName("AETHER", "bad namespace"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace");
    }
}

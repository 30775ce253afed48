package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a stream reader counts as dealt with: its own hand-offs, the ack floor, and the marks a
 * partition's earlier owner handed over (an actor's last event dealt with, and every earlier one).
 */
class HandedSequencesTest {

    @Test
    void anInheritedMarkCoversTheActorsEventsUpToItAboveTheFloor() {
        HandedSequences handed = new HandedSequences();
        handed.raiseFloor(10);
        handed.inherit("P.ns.a", 40);

        assertThat(handed.handed("P.ns.a", 25)).as("below the mark, above the floor").isTrue();
        assertThat(handed.predecessorDealtWith("P.ns.a", 40)).isTrue();
        assertThat(handed.handed("P.ns.a", 41)).isFalse();
        assertThat(handed.handed("P.ns.b", 25)).as("another actor's").isFalse();
        assertThat(handed.handed("P.ns.b", 9)).as("at or below the floor").isTrue();
    }

    @Test
    void theHigherOfTwoMarksCountsAndTheFloorMakesThemMoot() {
        HandedSequences handed = new HandedSequences();
        handed.inherit("P.ns.a", 40);
        handed.inherit("P.ns.a", 30);
        assertThat(handed.handed("P.ns.a", 35)).isTrue();

        handed.raiseFloor(50);
        handed.inherit("P.ns.a", 45);
        assertThat(handed.handed("P.ns.a", 50)).isTrue();
        assertThat(handed.handed("P.ns.a", 51)).isFalse();
    }
}

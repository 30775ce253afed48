package dev.aether.jetstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a stream reader counts as dealt with: its own hand-offs, the ack floor, and the marks a
 * partition's earlier owner handed over (an actor's last event dealt with, and every earlier one); and
 * that a delivery of another message at a sequence handed before is not taken for a late copy.
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

    @Test
    void aDeliveryAtAHandedSequenceIsALateCopyOnlyIfItIsTheSameMessage() {
        HandedSequences handed = new HandedSequences();
        handed.raiseFloor(10);
        byte[] first = "{\"id\":\"writer-3-13447\"}".getBytes(StandardCharsets.UTF_8);
        byte[] replacement = "{\"id\":\"writer-1-13996\"}".getBytes(StandardCharsets.UTF_8);
        handed.hand("P.ns.a", 20, HandedSequences.fingerprint(first));

        assertThat(handed.handedAs("P.ns.a", 20, HandedSequences.fingerprint(first.clone())))
                .as("a redelivery of the message handed").isTrue();
        assertThat(handed.handedAs("P.ns.a", 20, HandedSequences.fingerprint(replacement)))
                .as("another message the stream now holds at that sequence").isFalse();
        assertThat(handed.handed("P.ns.a", 20)).as("a message at that sequence was handed").isTrue();
        assertThat(handed.handedAs("P.ns.a", 9, HandedSequences.fingerprint(replacement)))
                .as("at or below the floor, whatever it holds").isTrue();

        handed.hand("P.ns.a", 20, HandedSequences.fingerprint(replacement));
        assertThat(handed.handedAs("P.ns.a", 20, HandedSequences.fingerprint(replacement))).isTrue();
        assertThat(handed.laterHanded("P.ns.a", 19)).isTrue();
        assertThat(handed.laterHanded("P.ns.a", 20)).isFalse();
    }

    @Test
    void theFingerprintIsFnv1a64OfTheBody() {
        // the published FNV-1a 64-bit test vectors
        assertThat(HandedSequences.fingerprint(new byte[0])).isEqualTo(0xcbf29ce484222325L);
        assertThat(HandedSequences.fingerprint("a".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xaf63dc4c8601ec8cL);
        assertThat(HandedSequences.fingerprint("foobar".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(0x85944171f73967e8L);
    }
}

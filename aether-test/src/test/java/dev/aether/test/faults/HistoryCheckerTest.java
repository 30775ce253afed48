package dev.aether.test.faults;

import dev.aether.Event;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HistoryChecker} counts each kind of anomaly in small hand-made histories. */
class HistoryCheckerTest {

    private static SaveRecord save(String actor, long basis, long version, String id, Outcome outcome) {
        return SaveRecord.single("w", actor, basis, version, id, outcome, 0, 1);
    }

    private static SaveRecord batch(String actor, long basis, long version, Outcome outcome, String... ids) {
        return new SaveRecord("w", actor, basis, version, List.of(ids), outcome, 0, 1);
    }

    private static Event stored(String actor, long version, String id) {
        return Event.builder().id(id).eventType("T").actorId(actor).version(version).build();
    }

    @Test
    void aCleanHistoryHasNoViolations() {
        HistoryReport report = HistoryChecker.check(
                List.of(save("a", 0, 1, "e1", Outcome.OK), save("a", 0, 1, "e2", Outcome.CONFLICT)),
                Map.of("a", List.of(stored("a", 1, "e1"))),
                List.of(new Handling("m", 1, "a", 1, "e1")));

        assertThat(report.violations()).isZero();
        assertThat(report.acknowledged()).isEqualTo(1);
        assertThat(report.conflicts()).isEqualTo(1);
        assertThat(report.eventsStored()).isEqualTo(1);
    }

    @Test
    void countsLostAcknowledgementsRefusedSavesFoundStoredAndTwoAcknowledgementsOfOneVersion() {
        HistoryReport report = HistoryChecker.check(
                List.of(save("a", 0, 1, "lost", Outcome.OK), save("b", 0, 1, "b1", Outcome.OK),
                        save("b", 0, 1, "b1-again", Outcome.OK), save("c", 0, 1, "refused", Outcome.UNAVAILABLE)),
                Map.of("a", List.of(), "b", List.of(stored("b", 1, "b1"), stored("b", 1, "b1-again")),
                        "c", List.of(stored("c", 1, "refused"))),
                List.of(new Handling("m", 1, "b", 1, "b1"), new Handling("m", 2, "b", 1, "b1-again"),
                        new Handling("m", 3, "c", 1, "refused")));

        assertThat(report.acknowledgedLost()).isEqualTo(1);
        assertThat(report.sameVersionBothAcknowledged()).isEqualTo(1);
        assertThat(report.refusedFoundStored()).isEqualTo(1);
        assertThat(report.storedOutOfVersionOrder()).isEqualTo(1);
    }

    @Test
    void resolvesOutcomeUnknownSavesAgainstTheStore() {
        HistoryReport report = HistoryChecker.check(
                List.of(save("a", 0, 1, "landed", Outcome.UNKNOWN), save("a", 1, 2, "vanished", Outcome.UNKNOWN)),
                Map.of("a", List.of(stored("a", 1, "landed"))),
                List.of(new Handling("m", 1, "a", 1, "landed")));

        assertThat(report.outcomeUnknown()).isEqualTo(2);
        assertThat(report.unknownFoundStored()).isEqualTo(1);
        assertThat(report.unknownFoundMissing()).isEqualTo(1);
        assertThat(report.violations()).isZero();
    }

    @Test
    void disorderOfAnEventAnotherMemberHandledTooIsCountedApart() {
        Map<String, List<Event>> stored = Map.of("a", List.of(stored("a", 1, "e1"), stored("a", 2, "e2")));
        HistoryReport report = HistoryChecker.check(List.of(), stored, List.of(
                new Handling("m2", 1, "a", 2, "e2"),
                new Handling("m2", 2, "a", 1, "e1"),
                new Handling("m1", 3, "a", 1, "e1")));

        assertThat(report.handledOutOfOrder()).isZero();
        assertThat(report.handledOutOfOrderAcrossMembers()).as("e1, redelivered from m1 to m2").isEqualTo(1);
        assertThat(report.duplicatesHandled()).isEqualTo(1);
    }

    @Test
    void countsEventsNeverHandledDuplicatesAndDisorderWithinOneMember() {
        Map<String, List<Event>> stored = Map.of("a", List.of(stored("a", 1, "e1"), stored("a", 2, "e2"),
                stored("a", 3, "e3"), stored("a", 4, "e4")));
        HistoryReport report = HistoryChecker.check(List.of(), stored, List.of(
                new Handling("m1", 1, "a", 2, "e2"),
                new Handling("m1", 2, "a", 1, "e1"),
                new Handling("m2", 3, "a", 2, "e2"),
                new Handling("m2", 4, "a", 3, "e3")));

        assertThat(report.handledOutOfOrder()).as("e1 first handled by m1 after e2").isEqualTo(1);
        assertThat(report.handledOutOfOrderAcrossMembers()).isZero();
        assertThat(report.duplicatesHandled()).as("e2 again, by m2").isEqualTo(1);
        assertThat(report.neverHandled()).as("e4").isEqualTo(1);
    }

    @Test
    void disorderOnAnActorWhoseStoredChainForksIsCountedAsTheRaceOf4320() {
        Map<String, List<Event>> stored = Map.of(
                "a", List.of(stored("a", 1, "a1"), stored("a", 2, "a2")),
                "b", List.of(stored("b", 1, "b1"), stored("b", 2, "b2")));
        HistoryReport report = HistoryChecker.check(List.of(), stored, List.of(
                new Handling("m1", 1, "a", 2, "a2"),
                new Handling("m1", 2, "a", 1, "a1"),
                new Handling("m1", 3, "b", 2, "b2"),
                new Handling("m1", 4, "b", 1, "b1")), Set.of("a"));

        assertThat(report.handledOutOfOrderForked()).as("a1 after a2, on forked actor a").isEqualTo(1);
        assertThat(report.handledOutOfOrder()).as("b1 after b2: b does not fork").isEqualTo(1);
        assertThat(report.violations()).as("only b's").isEqualTo(1);
    }

    @Test
    void aBatchStoredWholeIsAcknowledgedAndNotLost() {
        HistoryReport report = HistoryChecker.check(
                List.of(batch("a", 0, 1, Outcome.OK, "b1", "b2", "b3"), batch("a", 0, 1, Outcome.CONFLICT, "x1", "x2")),
                Map.of("a", List.of(stored("a", 1, "b1"), stored("a", 2, "b2"), stored("a", 3, "b3"))),
                List.of(new Handling("m", 1, "a", 1, "b1"), new Handling("m", 2, "a", 2, "b2"),
                        new Handling("m", 3, "a", 3, "b3")));

        assertThat(report.batches().attempted()).isEqualTo(2);
        assertThat(report.batches().events()).isEqualTo(5);
        assertThat(report.batches().acknowledged()).isEqualTo(1);
        assertThat(report.batches().conflicts()).isEqualTo(1);
        assertThat(report.batches().acknowledgedLost()).isZero();
        assertThat(report.batches().partlyStored()).isZero();
        assertThat(report.saves()).as("single saves").isZero();
        assertThat(report.violations()).isZero();
    }

    @Test
    void countsAnAcknowledgedBatchLostWhollyOrInPart() {
        HistoryReport report = HistoryChecker.check(
                List.of(batch("a", 0, 1, Outcome.OK, "gone1", "gone2"), batch("b", 0, 1, Outcome.OK, "b1", "b2")),
                Map.of("a", List.of(), "b", List.of(stored("b", 1, "b1"))),
                List.of(new Handling("m", 1, "b", 1, "b1")));

        assertThat(report.batches().acknowledgedLost()).as("a wholly, b partly").isEqualTo(2);
        assertThat(report.batches().partlyStored()).as("b").isEqualTo(1);
        assertThat(report.acknowledgedLost()).as("single saves only").isZero();
        assertThat(report.violations()).isEqualTo(3);
    }

    @Test
    void aBatchFoundPartlyStoredBreaksAtomicityWhateverItsOutcome() {
        HistoryReport report = HistoryChecker.check(
                List.of(batch("a", 0, 1, Outcome.UNKNOWN, "a1", "a2", "a3")),
                Map.of("a", List.of(stored("a", 1, "a1"), stored("a", 2, "a2"))),
                List.of(new Handling("m", 1, "a", 1, "a1"), new Handling("m", 2, "a", 2, "a2")));

        assertThat(report.batches().partlyStored()).isEqualTo(1);
        assertThat(report.batches().outcomeUnknown()).isEqualTo(1);
        assertThat(report.batches().unknownAllStored()).isZero();
        assertThat(report.batches().unknownNoneStored()).isZero();
        assertThat(report.violations()).isEqualTo(1);
    }

    @Test
    void resolvesOutcomeUnknownBatchesToStoredWholeOrNotAtAll() {
        HistoryReport report = HistoryChecker.check(
                List.of(batch("a", 0, 1, Outcome.UNKNOWN, "landed1", "landed2"),
                        batch("a", 2, 3, Outcome.UNKNOWN, "vanished1", "vanished2")),
                Map.of("a", List.of(stored("a", 1, "landed1"), stored("a", 2, "landed2"))),
                List.of(new Handling("m", 1, "a", 1, "landed1"), new Handling("m", 2, "a", 2, "landed2")));

        assertThat(report.batches().outcomeUnknown()).isEqualTo(2);
        assertThat(report.batches().unknownAllStored()).isEqualTo(1);
        assertThat(report.batches().unknownNoneStored()).isEqualTo(1);
        assertThat(report.batches().partlyStored()).isZero();
        assertThat(report.violations()).isZero();
    }

    @Test
    void aRefusedBatchOfWhichAnEventIsStoredIsAViolation() {
        HistoryReport report = HistoryChecker.check(
                List.of(batch("a", 0, 1, Outcome.UNAVAILABLE, "r1", "r2"), batch("a", 0, 1, Outcome.CONFLICT, "c1", "c2")),
                Map.of("a", List.of(stored("a", 1, "r1"), stored("a", 2, "r2"))),
                List.of(new Handling("m", 1, "a", 1, "r1"), new Handling("m", 2, "a", 2, "r2")));

        assertThat(report.refusedFoundStored()).as("the unavailable batch, not the refused one").isEqualTo(1);
        assertThat(report.batches().partlyStored()).isZero();
        assertThat(report.violations()).isEqualTo(1);
    }

    @Test
    void aRefusedSaveFoundStoredOnAnActorWhoseStoredVersionsDoNotIncreaseIsCountedAsTheRaceOf4320() {
        HistoryReport report = HistoryChecker.check(
                List.of(batch("a", 0, 1, Outcome.CONFLICT, "x1", "x2", "x3"), save("a", 0, 2, "y", Outcome.OK)),
                Map.of("a", List.of(stored("a", 1, "x1"), stored("a", 2, "x2"), stored("a", 3, "x3"),
                        stored("a", 2, "y"))),
                List.of(new Handling("m", 1, "a", 1, "x1"), new Handling("m", 2, "a", 2, "x2"),
                        new Handling("m", 3, "a", 3, "x3"), new Handling("m", 4, "a", 2, "y")));

        assertThat(report.refusedFoundStored()).isZero();
        assertThat(report.refusedFoundStoredRaced()).isEqualTo(1);
        assertThat(report.storedOutOfVersionOrder()).isEqualTo(1);
        assertThat(report.violations()).isZero();
    }

    @Test
    void aVersionAcknowledgedTwiceCountsAsAViolationWhenBothSavesBeganThereAndAsTheRaceOf4320Otherwise() {
        HistoryReport report = HistoryChecker.check(
                List.of(batch("b", 0, 1, Outcome.OK, "b1", "b2"), save("b", 0, 1, "single-b", Outcome.OK),
                        batch("c", 0, 1, Outcome.OK, "c1", "c2", "c3"), save("c", 0, 2, "single-c", Outcome.OK)),
                Map.of("b", List.of(stored("b", 1, "b1"), stored("b", 2, "b2"), stored("b", 1, "single-b")),
                        "c", List.of(stored("c", 2, "single-c"), stored("c", 1, "c1"), stored("c", 2, "c2"),
                                stored("c", 3, "c3"))),
                List.of(new Handling("m", 1, "b", 1, "b1"), new Handling("m", 2, "b", 2, "b2"),
                        new Handling("m", 3, "b", 1, "single-b"), new Handling("m", 4, "c", 2, "single-c"),
                        new Handling("m", 5, "c", 1, "c1"), new Handling("m", 6, "c", 2, "c2"),
                        new Handling("m", 7, "c", 3, "c3")));

        assertThat(report.sameVersionBothAcknowledged()).as("b@1: both saves began at 1").isEqualTo(1);
        assertThat(report.overlappingBothAcknowledged()).as("c@2: the batch began at 1, the single save at 2")
                .isEqualTo(1);
        assertThat(report.violations()).as("only b@1").isEqualTo(1);
    }

    @Test
    void listsTheSavesBehindTheFiguresThatMustBe0() {
        SaveRecord clean = batch("a", 0, 1, Outcome.OK, "a1", "a2");
        SaveRecord lost = save("b", 0, 1, "lost", Outcome.OK);
        SaveRecord partly = batch("c", 0, 1, Outcome.UNKNOWN, "c1", "c2");
        SaveRecord refusedStored = save("d", 0, 1, "d1", Outcome.CONFLICT);
        SaveRecord unknownMissing = save("e", 0, 1, "e1", Outcome.UNKNOWN);
        Map<String, List<Event>> stored = Map.of("a", List.of(stored("a", 1, "a1"), stored("a", 2, "a2")),
                "b", List.of(), "c", List.of(stored("c", 1, "c1")), "d", List.of(stored("d", 1, "d1")),
                "e", List.of());

        assertThat(HistoryChecker.brokenSaves(List.of(clean, lost, partly, refusedStored, unknownMissing), stored))
                .containsExactly(lost, partly, refusedStored);
    }

    @Test
    void aSaveRecordOfABatchSurvivesItsLine() {
        SaveRecord record = new SaveRecord("w1", "actor-7", 3, 5, List.of("w1-1", "w1-2", "w1-3"), Outcome.UNKNOWN,
                10, 20);

        assertThat(SaveRecord.parse(record.toLine())).isEqualTo(record);
        assertThat(record.batch()).isTrue();
        assertThat(SaveRecord.parse(save("a", 0, 1, "e1", Outcome.OK).toLine()).batch()).isFalse();
    }

    @Test
    void aVersionAcknowledgedAgainAfterTheServerLostItsFirstSaveIsCountedApart() {
        List<SaveRecord> saves = List.of(save("a", 3, 4, "first", Outcome.OK), save("a", 3, 4, "second", Outcome.OK),
                save("b", 0, 1, "b1", Outcome.OK), save("b", 0, 1, "b1-again", Outcome.OK));
        Set<String> stored = Set.of("second", "b1", "b1-again");

        assertThat(HistoryChecker.sameVersionAcknowledgedTwiceAfterLoss(saves, stored, Set.of("first", "b1")))
                .as("a@4: the first save was delivered, then lost; b@1: both are stored").isEqualTo(1);
        assertThat(HistoryChecker.sameVersionAcknowledgedTwiceAfterLoss(saves, stored, Set.of()))
                .as("a lost save no consumer saw is not known to have been stored").isZero();
    }
}

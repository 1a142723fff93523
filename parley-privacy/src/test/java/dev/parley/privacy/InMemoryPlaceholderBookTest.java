package dev.parley.privacy;

import dev.parley.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryPlaceholderBookTest {

    @Test
    void issuesPerTypeCountersFromOne() {
        InMemoryPlaceholderBook book = new InMemoryPlaceholderBook();
        assertThat(book.placeholderFor("EMAIL", "a", "a").placeholder()).isEqualTo("<EMAIL_1>");
        assertThat(book.placeholderFor("PHONE", "p", "p").placeholder()).isEqualTo("<PHONE_1>");
        assertThat(book.placeholderFor("EMAIL", "b", "b").placeholder()).isEqualTo("<EMAIL_2>");
        assertThat(book.placeholderFor("EMAIL", "a", "A").issuedNow()).isFalse();
        assertThat(book.originalOf("<EMAIL_1>")).contains("a");
        assertThat(book.longestPlaceholderLength()).isEqualTo("<EMAIL_1>".length());
    }

    @Test
    void skipsReservedPlaceholders() {
        InMemoryPlaceholderBook book = new InMemoryPlaceholderBook();
        assertThat(book.reserve("<EMAIL_1>")).isTrue();
        assertThat(book.reserve("<EMAIL_1>")).isFalse();
        assertThat(book.placeholderFor("EMAIL", "a", "a").placeholder()).isEqualTo("<EMAIL_2>");
        assertThat(book.originalOf("<EMAIL_1>")).isEmpty();
        assertThat(book.reserve("<EMAIL_2>")).as("already issued").isFalse();
    }

    @Test
    void reservingRejectsTextThatIsNotPlaceholderShaped() {
        assertThatThrownBy(() -> new InMemoryPlaceholderBook().reserve("<email_1>"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("<email_1>");
    }

    @Test
    void rebuildsFromStoredMappingsAndContinuesAfterTheHighestIndex() {
        InMemoryPlaceholderBook book = new InMemoryPlaceholderBook(List.of(
                new PlaceholderBook.Mapping("<EMAIL_1>", "EMAIL", "a", "a"),
                new PlaceholderBook.Mapping("<EMAIL_4>", "EMAIL", "b", "b")), List.of("<EMAIL_5>"));
        assertThat(book.placeholderFor("EMAIL", "c", "c").placeholder()).isEqualTo("<EMAIL_6>");
        assertThat(book.placeholderFor("EMAIL", "b", "b").placeholder()).isEqualTo("<EMAIL_4>");
        assertThat(book.mappings()).extracting(PlaceholderBook.Mapping::placeholder)
                .containsExactly("<EMAIL_1>", "<EMAIL_4>", "<EMAIL_6>");
        assertThat(book.reserved()).containsExactly("<EMAIL_5>");
    }

    @Test
    void refusesToRebuildFromContradictoryMappings() {
        PlaceholderBook.Mapping first = new PlaceholderBook.Mapping("<EMAIL_1>", "EMAIL", "a", "a");
        assertThatThrownBy(() -> new InMemoryPlaceholderBook(
                List.of(first, new PlaceholderBook.Mapping("<EMAIL_1>", "EMAIL", "b", "b")), List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("issued twice");
        assertThatThrownBy(() -> new InMemoryPlaceholderBook(
                List.of(first, new PlaceholderBook.Mapping("<EMAIL_2>", "EMAIL", "a", "a")), List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("share one key");
    }

    @Test
    void mappingsMustMatchTheirTypeAndShape() {
        assertThatThrownBy(() -> new PlaceholderBook.Mapping("<PHONE_1>", "EMAIL", "a", "a"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("<EMAIL_n>");
        assertThatThrownBy(() -> new PlaceholderBook.Mapping("<EMAIL_0>", "EMAIL", "a", "a"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new PlaceholderBook.Mapping("<EMAIL_01>", "EMAIL", "a", "a"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void concurrentCallersGetOnePlaceholderPerValueAndNeverShareOne() throws Exception {
        InMemoryPlaceholderBook book = new InMemoryPlaceholderBook();
        int threads = 8;
        int values = 200;
        List<Callable<List<String>>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(() -> {
                List<String> issued = new ArrayList<>();
                for (int v = 0; v < values; v++) {
                    issued.add(book.placeholderFor("EMAIL", "user" + v, "user" + v).placeholder());
                }
                return issued;
            });
        }
        try (var pool = Executors.newFixedThreadPool(threads)) {
            List<List<String>> results = new ArrayList<>();
            for (var future : pool.invokeAll(workers)) {
                results.add(future.get());
            }
            for (List<String> result : results) {
                assertThat(result).isEqualTo(results.getFirst());
            }
            assertThat(new HashSet<>(results.getFirst())).hasSize(values);
        }
        assertThat(book.mappings()).hasSize(values);
    }

    @Test
    void mappingsDoNotPrintTheirOriginals() {
        assertThat(new PlaceholderBook.Mapping("<EMAIL_1>", "EMAIL", "ann@x.io", "ann@x.io").toString())
                .doesNotContain("ann@x.io");
    }
}

package dev.parley.privacy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamingRestorerTest {

    private static InMemoryPlaceholderBook bookWithTwoEmails() {
        InMemoryPlaceholderBook book = new InMemoryPlaceholderBook();
        book.placeholderFor(EntityType.EMAIL, "ann@x.io", "ann@x.io");
        book.placeholderFor(EntityType.EMAIL, "bob@x.io", "bob@x.io");
        return book;
    }

    @Test
    void restoresAPlaceholderSplitAcrossChunks() {
        StreamingRestorer restorer = new StreamingRestorer(bookWithTwoEmails());
        assertThat(restorer.feed("Write to <EMA")).isEqualTo("Write to ");
        assertThat(restorer.heldBack()).isEqualTo(4);
        assertThat(restorer.feed("IL_")).isEmpty();
        assertThat(restorer.feed("2> now")).isEqualTo("bob@x.io now");
        assertThat(restorer.finish()).isEmpty();
    }

    @Test
    void passesTextThatCannotStartAPlaceholderStraightThrough() {
        StreamingRestorer restorer = new StreamingRestorer(bookWithTwoEmails());
        assertThat(restorer.feed("a < b and c <d")).isEqualTo("a < b and c <d");
        assertThat(restorer.feed("x <")).isEqualTo("x ");
        assertThat(restorer.feed("3")).isEqualTo("<3");
        assertThat(restorer.heldBack()).isZero();
    }

    @Test
    void holdsBackNothingLongerThanAnIssuedPlaceholderCouldBe() {
        StreamingRestorer restorer = new StreamingRestorer(bookWithTwoEmails());
        assertThat(restorer.feed("<EMAIL_12")).as("longer than any issued placeholder").isEqualTo("<EMAIL_12");
        assertThat(restorer.feed("<ABCDEFGHIJ")).isEqualTo("<ABCDEFGHIJ");
    }

    @Test
    void holdsBackNothingWhileTheBookIsEmpty() {
        StreamingRestorer restorer = new StreamingRestorer(new InMemoryPlaceholderBook());
        assertThat(restorer.feed("<EMAIL_1")).isEqualTo("<EMAIL_1");
    }

    @Test
    void finishFlushesAnUnfinishedPlaceholderAsWritten() {
        StreamingRestorer restorer = new StreamingRestorer(bookWithTwoEmails());
        assertThat(restorer.feed("ends with <EMAIL_")).isEqualTo("ends with ");
        assertThat(restorer.finish()).isEqualTo("<EMAIL_");
    }

    @Test
    void refusesChunksAfterTheEnd() {
        StreamingRestorer restorer = new StreamingRestorer(bookWithTwoEmails());
        restorer.finish();
        assertThatThrownBy(() -> restorer.feed("more")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("finished");
        assertThatThrownBy(restorer::finish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void randomChunkingsGiveTheSameTextAsOneRestore() {
        long seed = Seeds.seed("randomChunkingsGiveTheSameTextAsOneRestore");
        Random random = new Random(seed);
        InMemoryPlaceholderBook book = new InMemoryPlaceholderBook();
        for (int i = 0; i < 30; i++) {
            book.placeholderFor(i % 3 == 0 ? EntityType.EMAIL : i % 3 == 1 ? EntityType.PHONE : "CUSTOM_TYPE",
                    "k" + i, "value<" + i + ">");
        }
        String[] pieces = {"<EMAIL_1>", "<PHONE_10>", "<CUSTOM_TYPE_3>", "<EMAIL_99>", "<EMAIL_", "<", ">", "<<",
                "<PHONE_2", "text ", "é", "😀", "_1>", "<LITERAL_1>", "\n", "<A", "EMAIL_4>"};
        for (int round = 0; round < 2_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int p = random.nextInt(30); p > 0; p--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String whole = text.toString();
            List<String> chunks = chunk(whole, random);
            StreamingRestorer restorer = new StreamingRestorer(book);
            StringBuilder streamed = new StringBuilder();
            for (String chunk : chunks) {
                streamed.append(restorer.feed(chunk));
                assertThat(restorer.heldBack()).as("seed %d, text %s", seed, whole)
                        .isLessThan(book.longestPlaceholderLength());
            }
            streamed.append(restorer.finish());
            assertThat(streamed.toString()).as("seed %d, chunks %s", seed, chunks).isEqualTo(Restorer.restore(whole, book));
        }
    }

    /** Cuts {@code text} at random places, sometimes into empty chunks, never inside a surrogate pair. */
    static List<String> chunk(String text, Random random) {
        List<String> chunks = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int end = Math.min(text.length(), i + random.nextInt(8));
            if (end < text.length() && end > 0 && Character.isLowSurrogate(text.charAt(end))) {
                end++;
            }
            chunks.add(text.substring(i, end));
            i = end;
        }
        return chunks;
    }
}

package dev.parley.bench.privacy;

import dev.parley.privacy.Detector;
import dev.parley.privacy.EntityType;
import dev.parley.privacy.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScoresTest {
    private static final String TEXT = "mail bob@example.com or call 020 7946 0958, order #123456";
    private static final Corpus CORPUS = new Corpus(1, "hand-made", List.of(new Corpus.Sample("chat", TEXT,
            List.of(new Corpus.Span(EntityType.EMAIL, 5, 20, "lower"), new Corpus.Span(EntityType.PHONE, 29, 42, "GB national")),
            List.of(new Corpus.Span("ORDER_NUMBER", 50, 57, "")))));

    @Test
    void aFindingWithTheWrongEdgesCountsForOverlapButNotForExactSpans() {
        Detector detector = text -> List.of(new Finding(EntityType.EMAIL, 5, 20, 1.0), new Finding(EntityType.PHONE, 28, 42, 0.9));

        Scores scores = Scores.of(detector, CORPUS);

        assertThat(scores.exact.get(EntityType.EMAIL).recall()).isEqualTo(1.0);
        assertThat(scores.exact.get(EntityType.PHONE).recall()).isEqualTo(0.0);
        assertThat(scores.exact.get(EntityType.PHONE).precision()).isEqualTo(0.0);
        assertThat(scores.overlap.get(EntityType.PHONE).recall()).isEqualTo(1.0);
        assertThat(scores.overlap.get(EntityType.PHONE).precision()).isEqualTo(1.0);
        assertThat(scores.forms.get("PHONE / GB national").recall()).isEqualTo(0.0);
        assertThat(scores.missedExamples.get(EntityType.PHONE))
                .containsExactly("edges differ: mail bob@example.com or call [020 7946 0958], order #123456");
    }

    @Test
    void aFindingOnAHardNegativeIsAFalsePositiveCountedAgainstItsKind() {
        Detector detector = text -> List.of(new Finding(EntityType.PHONE, 51, 57, 0.5));

        Scores scores = Scores.of(detector, CORPUS);

        assertThat(scores.exact.get(EntityType.PHONE).falsePositives).isEqualTo(1);
        assertThat(scores.exact.get(EntityType.EMAIL).recall()).isEqualTo(0.0);
        assertThat(scores.negatives.get("ORDER_NUMBER").falsePositives).isEqualTo(1);
        assertThat(scores.negativeHits).containsEntry("ORDER_NUMBER → PHONE", 1L);
        assertThat(scores.falseExamples.get(EntityType.PHONE)).containsExactly("…or call 020 7946 0958, order #[123456]");
    }
}

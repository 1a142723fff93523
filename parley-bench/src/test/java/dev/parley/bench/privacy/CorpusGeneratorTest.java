package dev.parley.bench.privacy;

import dev.parley.privacy.EntityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CorpusGeneratorTest {
    private static final long SEED = 42L;

    @TempDir
    Path dir;

    @Test
    void theSameSeedMakesTheSameCorpusAndEverySpanHoldsWhatItsTypeSays() {
        System.out.println("CorpusGeneratorTest seed " + SEED);
        Corpus corpus = CorpusGenerator.generate(SEED, 400);

        assertThat(CorpusGenerator.generate(SEED, 400)).isEqualTo(corpus);
        assertThat(CorpusGenerator.generate(SEED + 1, 400)).isNotEqualTo(corpus);
        Set<String> types = new HashSet<>();
        for (Corpus.Sample sample : corpus.samples()) {
            for (Corpus.Span span : sample.gold()) {
                String value = sample.text().substring(span.start(), span.end());
                String digits = value.replaceAll("\\D", "");
                types.add(span.type());
                assertThat(value).as("%s span of form %s", span.type(), span.form()).isEqualTo(value.strip()).isNotEmpty();
                switch (span.type()) {
                    case EntityType.EMAIL -> assertThat(value).contains("@");
                    case EntityType.CREDIT_CARD -> assertThat(EntityValues.luhn(digits)).as("Luhn of %s", value).isTrue();
                    case EntityType.IBAN -> assertThat(HardNegatives.mod97(value.replace(" ", ""))).as("mod-97 of %s", value).isEqualTo(1);
                    case EntityType.US_SSN -> assertThat(digits).hasSize(9);
                    case EntityType.PHONE -> assertThat(digits.length()).as("digits of %s", value).isBetween(8, 20);
                    case EntityType.IP_ADDRESS -> assertThat(value).containsAnyOf(".", ":").doesNotContain("[", "]");
                    case EntityType.URL_CREDENTIALS -> assertThat(value).contains("://", "@");
                    default -> assertThat(value.length()).isGreaterThanOrEqualTo(8);
                }
            }
            for (Corpus.Span negative : sample.negatives()) {
                assertThat(sample.gold()).noneMatch(g -> g.overlaps(negative.start(), negative.end()));
            }
        }
        assertThat(types).containsExactlyInAnyOrderElementsOf(CorpusGenerator.types());
    }

    @Test
    void aCorpusReadsBackFromItsFileAsItWasWritten() throws Exception {
        Corpus corpus = CorpusGenerator.generate(SEED, 50);
        Path file = dir.resolve("c.jsonl");

        corpus.write(file);

        assertThat(Corpus.read(file)).isEqualTo(corpus);
    }

    @Test
    void aFileThatIsNotACorpusIsRefusedWithItsName() throws Exception {
        Path file = dir.resolve("other.jsonl");
        Files.writeString(file, "{\"hello\":1}\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Corpus.read(file))
                .hasMessageContaining(file.toString()).hasMessageContaining("not the header");
    }

    @Test
    void theCommittedCorpusIsWhatTheGeneratorMakesFromItsRecordedSeed() throws Exception {
        Path committed = Path.of(PrivacyCorpusRun.DEFAULT_FILE);
        Corpus read = Corpus.read(committed);
        System.out.println("committed corpus seed " + read.seed());
        Path remade = dir.resolve("remade.jsonl");

        CorpusGenerator.generate(read.seed(), read.samples().size()).write(remade);

        assertThat(read.generator()).isEqualTo(CorpusGenerator.VERSION);
        assertThat(Files.mismatch(committed, remade)).as("first differing byte; remake it with parley-bench/run privacy-corpus")
                .isEqualTo(-1L);
    }
}

package dev.parley.bench.privacy;

import dev.parley.bench.BenchPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Remakes the committed labelled corpus, or makes another one from another seed:
 *
 * <pre>
 * parley-bench/run privacy-corpus                          # remakes corpus/privacy-corpus.jsonl (seed 20261121)
 * parley-bench/run privacy-corpus --seed 7 --samples 2000 --out /tmp/c.jsonl
 * </pre>
 *
 * The seed is printed and recorded in the corpus's header line; the same seed and sample count make the same file.
 */
public final class PrivacyCorpusRun {
    static final long DEFAULT_SEED = 20261121L;
    static final int DEFAULT_SAMPLES = 8000;
    static final String DEFAULT_FILE = "corpus/privacy-corpus.jsonl";

    private PrivacyCorpusRun() {
    }

    public static void main(String[] args) throws IOException {
        Path base = BenchPaths.module();
        long seed = DEFAULT_SEED;
        int samples = DEFAULT_SAMPLES;
        Path out = base.resolve(DEFAULT_FILE);
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--seed" -> seed = Long.parseLong(args[i + 1]);
                    case "--samples" -> samples = Integer.parseInt(args[i + 1]);
                    case "--out" -> out = Path.of(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: parley-bench/run privacy-corpus [--seed " + DEFAULT_SEED + "] [--samples " + DEFAULT_SAMPLES
                    + "] [--out parley-bench/" + DEFAULT_FILE + "]");
            System.exit(2);
            return;
        }
        System.out.println("seed " + seed + ", " + samples + " samples");
        Corpus corpus = CorpusGenerator.generate(seed, samples);
        corpus.write(out);
        System.out.printf(Locale.ROOT, "wrote %s: %,d samples, %,d labelled entities, %,d hard negatives, %.2f MB (seed %d)%n", out,
                corpus.samples().size(), corpus.samples().stream().mapToLong(s -> s.gold().size()).sum(),
                corpus.samples().stream().mapToLong(s -> s.negatives().size()).sum(), Files.size(out) / 1e6, seed);
    }
}

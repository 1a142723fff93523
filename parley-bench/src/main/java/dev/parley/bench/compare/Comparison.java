package dev.parley.bench.compare;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Measures the systems of one backend. First every system runs the same warm-up. Then every system
 * gets {@code rounds + 1} conversations of each history length L, seeded in bulk; the first of each is
 * that cell's warm-up, whose cost decides how many timed operations the system gets per round. Then the
 * rounds run: in every round each cell (a system at a length) takes its turn once, in an order shuffled
 * anew each round from a fixed seed, so that drift in the machine's load and the database's background
 * work (checkpoints, vacuum, AOF rewrites) hits every system and every length alike. In its turn a cell
 * reads its fresh conversation once untimed (as an application loads a conversation before a turn),
 * then appends k turns and reads the last 20 messages k times, each operation timed on its own.
 */
final class Comparison {
    /** One system at one history length. */
    record Cell(int length, String system, Samples append, Samples read, int opsPerRound, int finalLength, int held) {
    }

    /** Everything measured on one backend. */
    record Result(String backend, List<String> settings, List<SystemRow> systems, List<Cell> cells) {
        Cell cell(String system, int length) {
            return cells.stream().filter(c -> c.system().equals(system) && c.length() == length).findFirst().orElse(null);
        }
    }

    record SystemRow(String name, String configuration, boolean parley) {
    }

    /** The order of each round's cells is shuffled with this seed plus the round's number, so runs are repeatable. */
    static final long SHUFFLE_SEED = 20_261_121L;
    private static final int WARMUP_LENGTH = 100;

    /** A system at a length while it is measured. */
    private static final class Unit {
        final ChatSystem system;
        final int length;
        final Samples appends = new Samples();
        final Samples reads = new Samples();
        int ops;

        Unit(ChatSystem system, int length) {
            this.system = system;
            this.length = length;
        }
    }

    private final CompareOptions options;
    private final PrintStream log;

    Comparison(CompareOptions options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    Result measure(Backend backend) {
        List<ChatSystem> systems = backend.systems();
        long start = System.nanoTime();
        warmUp(systems);
        log.printf(Locale.ROOT, "[%s] warm-up: %d turns per system in %.1f s%n", backend.name(), options.warmupTurns(), seconds(start));

        start = System.nanoTime();
        List<Unit> units = new ArrayList<>();
        for (int length : options.lengths()) {
            for (ChatSystem system : systems) {
                if (system.isParley() || length <= options.peerMaxLength()) {
                    units.add(new Unit(system, length));
                    for (int round = 0; round <= options.rounds(); round++) {
                        seed(system, conversation(length, round), length);
                    }
                }
            }
        }
        String afterSeeding = backend.afterSeeding();
        log.printf(Locale.ROOT, "[%s] seeded %d cells × %d conversations in %.1f s%n", backend.name(), units.size(),
                options.rounds() + 1, seconds(start));

        for (Unit unit : units) {
            unit.ops = opsPerRound(unit.system, unit.length);
        }
        // A collection now rather than in the middle of someone's timed operations.
        System.gc();
        start = System.nanoTime();
        for (int round = 1; round <= options.rounds(); round++) {
            List<Unit> order = new ArrayList<>(units);
            Collections.shuffle(order, new Random(SHUFFLE_SEED + round));
            for (Unit unit : order) {
                run(unit, conversation(unit.length, round));
            }
        }
        log.printf(Locale.ROOT, "[%s] measured %d rounds in %.1f s%n", backend.name(), options.rounds(), seconds(start));

        List<Cell> cells = new ArrayList<>();
        for (Unit unit : units) {
            cells.add(new Cell(unit.length, unit.system.name(), unit.appends, unit.reads, unit.ops, unit.length + 2 * unit.ops,
                    unit.system.held(conversation(unit.length, options.rounds()))));
            log.printf(Locale.ROOT, "[%s] L=%,d %-18s k=%2d append %s ms, read %s ms (medians)%n", backend.name(), unit.length,
                    unit.system.name(), unit.ops, CompareReport.fmt(unit.appends.medianMillis()), CompareReport.fmt(unit.reads.medianMillis()));
        }
        List<SystemRow> rows = systems.stream().map(s -> new SystemRow(s.name(), s.configuration(), s.isParley())).toList();
        List<String> settings = new ArrayList<>(backend.settings());
        if (!afterSeeding.isEmpty()) {
            settings.add(afterSeeding);
        }
        return new Result(backend.name(), settings, rows, cells);
    }

    private void warmUp(List<ChatSystem> systems) {
        for (ChatSystem system : systems) {
            seed(system, "warm", WARMUP_LENGTH);
        }
        for (int turn = 0; turn < options.warmupTurns(); turn++) {
            for (ChatSystem system : systems) {
                system.appendTurn("warm", WARMUP_LENGTH / 2 + turn);
                system.readLastTwenty("warm");
            }
        }
    }

    private static void run(Unit unit, String conversation) {
        ChatSystem system = unit.system;
        system.readLastTwenty(conversation);
        for (int turn = 0; turn < unit.ops; turn++) {
            long t0 = System.nanoTime();
            system.appendTurn(conversation, unit.length / 2 + turn);
            unit.appends.add(System.nanoTime() - t0);
        }
        int expected = Math.min(Workload.LAST, unit.length + 2 * unit.ops);
        for (int read = 0; read < unit.ops; read++) {
            long t0 = System.nanoTime();
            int returned = system.readLastTwenty(conversation);
            unit.reads.add(System.nanoTime() - t0);
            if (returned != expected) {
                throw new IllegalStateException(system.name() + " returned " + returned + " messages for the last 20 of "
                        + conversation + ", expected " + expected);
            }
        }
    }

    /**
     * Warms the cell up on conversation 0 and returns how many operations of each kind the system gets
     * per round: as many as fit {@code cellSeconds}, between 1 and {@code maxOps}.
     */
    private int opsPerRound(ChatSystem system, int length) {
        String conversation = conversation(length, 0);
        system.readLastTwenty(conversation);
        long cost = 0;
        for (int turn = 0; turn < 2; turn++) {
            long t0 = System.nanoTime();
            system.appendTurn(conversation, length / 2 + turn);
            system.readLastTwenty(conversation);
            cost = System.nanoTime() - t0;
        }
        double fits = options.cellSeconds() * 1e9 / ((double) options.rounds() * Math.max(1, cost));
        return (int) Math.max(1, Math.min(options.maxOps(), fits));
    }

    private static void seed(ChatSystem system, String conversation, int length) {
        system.seed(conversation, length);
        int visible = system.visible(conversation);
        int expected = Math.min(length, system.window());
        if (visible != expected) {
            throw new IllegalStateException(system.name() + " shows " + visible + " messages of conversation " + conversation
                    + " after it was seeded with " + expected);
        }
    }

    static String conversation(int length, int round) {
        return "c" + length + "-" + round;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

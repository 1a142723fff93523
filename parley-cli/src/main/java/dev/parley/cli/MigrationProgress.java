package dev.parley.cli;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.io.PrintWriter;

/**
 * How far a migration phase has come, on stderr so that stdout keeps only the summary. In a terminal
 * it is a redrawn bar; elsewhere (a CI log, a file) a redrawn bar would be a wall of carriage
 * returns, so it prints one line each time another twentieth of the work is done.
 */
interface MigrationProgress extends AutoCloseable {

    enum Mode { AUTO, BAR, LINES, NONE }

    /** Width of the bar when it is drawn without a terminal to measure. */
    int UNMEASURED_WIDTH = 100;

    void step();

    @Override
    void close();

    /** Nothing is shown for a phase with nothing to do. */
    static MigrationProgress start(Mode mode, String task, long total, PrintWriter err) {
        Mode chosen = total == 0 ? Mode.NONE : mode == Mode.AUTO ? (inTerminal() ? Mode.BAR : Mode.LINES) : mode;
        return switch (chosen) {
            case BAR -> new Bar(task, total, err, mode == Mode.AUTO);
            case LINES -> new Lines(task, total, err);
            default -> new Silent();
        };
    }

    /**
     * Since Java 22, {@code System.console()} exists even when the streams are redirected and
     * {@code Console.isTerminal()} tells the difference; this code is compiled for Java 21, where a
     * console exists only on a terminal, so the newer method is looked up when it is there.
     */
    private static boolean inTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException beforeJava22) {
            return true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot ask the console whether it is a terminal", e);
        }
    }

    final class Bar implements MigrationProgress {
        private final ProgressBar bar;
        private final PrintWriter err;

        Bar(String task, long total, PrintWriter err, boolean measureTerminal) {
            this.err = err;
            DelegatingProgressBarConsumer consumer = measureTerminal
                    ? new DelegatingProgressBarConsumer(this::draw)
                    : new DelegatingProgressBarConsumer(this::draw, UNMEASURED_WIDTH);
            this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" sessions", 1)
                    .setStyle(measureTerminal ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
                    .setConsumer(consumer).build();
        }

        private void draw(String rendered) {
            synchronized (err) {
                err.print('\r');
                err.print(rendered);
                err.flush();
            }
        }

        @Override
        public void step() {
            bar.step();
        }

        @Override
        public void close() {
            bar.close();
            synchronized (err) {
                err.println();
                err.flush();
            }
        }
    }

    final class Lines implements MigrationProgress {
        private static final int STEPS = 20;

        private final String task;
        private final long total;
        private final PrintWriter err;
        private long done;
        private long printedStep = -1;

        Lines(String task, long total, PrintWriter err) {
            this.task = task;
            this.total = total;
            this.err = err;
            print();
        }

        @Override
        public void step() {
            done++;
            print();
        }

        private void print() {
            long step = done * STEPS / total;
            if (step > printedStep) {
                printedStep = step;
                err.printf("%s: %d of %d sessions (%d%%)%n", task, done, total, done * 100 / total);
                err.flush();
            }
        }

        @Override
        public void close() {
            // Each line was complete when it was printed.
        }
    }

    final class Silent implements MigrationProgress {
        @Override
        public void step() {
            // No progress wanted, or nothing to show it for.
        }

        @Override
        public void close() {
            // Nothing was drawn.
        }
    }
}

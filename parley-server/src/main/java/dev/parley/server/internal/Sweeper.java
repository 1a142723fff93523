package dev.parley.server.internal;

import dev.parley.Parley;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes expired sessions in the background: every {@code interval}, batches of {@code batch} until a batch comes
 * back short. Expired sessions are already invisible; this reclaims their space. A failed sweep is logged and the
 * next one runs as planned.
 */
final class Sweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
    private static final int MAX_BATCHES_PER_SWEEP = 100;

    private final Parley parley;
    private final Duration interval;
    private final int batch;
    private final Metrics metrics;
    private ScheduledExecutorService scheduler;

    Sweeper(Parley parley, Duration interval, int batch, Metrics metrics) {
        this.parley = parley;
        this.interval = interval;
        this.batch = batch;
        this.metrics = metrics;
    }

    void start() {
        if (interval.isZero()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("parley-sweeper").factory());
        scheduler.scheduleWithFixedDelay(this::sweepLogged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean running() {
        return scheduler != null && !scheduler.isShutdown();
    }

    /** One sweep; returns the sessions it deleted. */
    int sweepOnce() {
        int total = 0;
        for (int i = 0; i < MAX_BATCHES_PER_SWEEP; i++) {
            int deleted = parley.sweepExpired(batch);
            total += deleted;
            if (deleted < batch) {
                break;
            }
        }
        if (total > 0) {
            metrics.sessionDeleted(total);
            LOG.info("deleted {} expired session{}", total, total == 1 ? "" : "s");
        }
        return total;
    }

    private void sweepLogged() {
        try {
            sweepOnce();
        } catch (RuntimeException e) {
            LOG.warn("the sweep of expired sessions failed; the next runs in {} s", interval.toSeconds(), e);
        }
    }

    @Override
    public void close() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the sweeper did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

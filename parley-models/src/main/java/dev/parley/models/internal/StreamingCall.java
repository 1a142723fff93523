package dev.parley.models.internal;

import dev.parley.domain.Part;
import dev.parley.models.ChatResponse;
import dev.parley.models.ChatStream;
import dev.parley.models.ModelException;
import dev.parley.models.StreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One streamed call, on its own virtual thread: connects (retrying retriable failures while nothing has reached
 * the handler), reads the reply's events (server-sent events, or JSON lines where each line is one event), and
 * delivers them under a lock that {@link #cancel()} also takes, so no callback starts once {@code cancel()}
 * returned. A stream silent for longer than the timeout fails with {@link ModelException.Timeout}.
 */
final class StreamingCall implements ChatStream {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingCall.class);
    private static final int MAX_ERROR_BODY = 1 << 20;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-stream-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final HttpTransport transport;
    private final HttpTransport.Call call;
    private final StreamFraming framing;
    private final Supplier<StreamDecoder> decoders;
    private final StreamHandler handler;
    private final CompletableFuture<ChatResponse> result = new CompletableFuture<>();
    private final ReentrantLock delivery = new ReentrantLock();
    private final Thread thread;

    private volatile boolean cancelled;
    private volatile boolean idleTimedOut;
    private volatile InputStream body;
    private volatile long lastActivity;
    private boolean delivered;

    StreamingCall(HttpTransport transport, HttpTransport.Call call, StreamFraming framing, Supplier<StreamDecoder> decoders,
                  StreamHandler handler) {
        this.transport = transport;
        this.call = call;
        this.framing = framing;
        this.decoders = decoders;
        this.handler = handler;
        this.thread = Thread.ofVirtual().name("parley-" + transport.provider() + "-stream").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    @Override
    public CompletableFuture<ChatResponse> result() {
        return result;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void cancel() {
        delivery.lock();
        try {
            if (cancelled || result.isDone()) {
                return;
            }
            cancelled = true;
        } finally {
            delivery.unlock();
        }
        result.cancel(false);
        closeBody();
        thread.interrupt();
    }

    private void run() {
        try {
            deliverCompletion(connectAndRead());
        } catch (ModelException failure) {
            deliverError(failure);
        } catch (HandlerFailure failure) {
            result.completeExceptionally(failure.getCause());
        } catch (CancellationException stopped) {
            result.cancel(false);
        } catch (RuntimeException unexpected) {
            result.completeExceptionally(unexpected);
        } catch (Error fatal) {
            result.completeExceptionally(fatal);
            throw fatal;
        } finally {
            closeBody();
        }
    }

    private ChatResponse connectAndRead() {
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt();
            } catch (ModelException failure) {
                if (cancelled) {
                    throw new CancellationException(transport.provider() + ": stream cancelled");
                }
                if (delivered) {
                    throw failure;
                }
                transport.pauseBeforeRetry(attempt, failure);
            }
        }
    }

    private ChatResponse attempt() {
        HttpResponse<InputStream> response;
        try {
            response = transport.client().send(transport.request(call, framing.mediaType()),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            throw transport.cancelled(e);
        } catch (IOException e) {
            throw transport.transportFailure(e, call.uri());
        }
        body = response.body();
        if (cancelled) {
            throw new CancellationException(transport.provider() + ": stream cancelled");
        }
        if (response.statusCode() / 100 != 2) {
            throw transport.mapError(response.statusCode(), readErrorBody(), response.headers());
        }
        return readEvents();
    }

    /** Reads one attempt's events with a fresh decoder, so nothing of a failed attempt leaks into its retry. */
    private ChatResponse readEvents() {
        StreamDecoder decoder = decoders.get();
        idleTimedOut = false;
        Duration timeout = transport.timeout();
        long period = Math.clamp(timeout.toNanos() / 4, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1));
        lastActivity = System.nanoTime();
        ScheduledFuture<?> watch = WATCHDOG.scheduleAtFixedRate(() -> stopIfIdle(timeout), period, period, TimeUnit.NANOSECONDS);
        boolean completed;
        try {
            completed = decode(body, framing, event -> decoder.accept(event, this::deliverText),
                    () -> lastActivity = System.nanoTime());
        } catch (IOException e) {
            if (cancelled) {
                throw new CancellationException(transport.provider() + ": stream cancelled");
            }
            if (idleTimedOut) {
                Thread.interrupted();
                throw new ModelException.Timeout(transport.provider(), transport.provider() + ": the stream from "
                        + call.uri() + " sent nothing for " + timeout, e);
            }
            throw transport.transportFailure(e, call.uri());
        } finally {
            watch.cancel(false);
        }
        return decoder.finish(completed);
    }

    /**
     * Feeds a body's events to {@code onEvent} until it says the reply is complete or the body ends; returns whether it
     * completed. Static and package-private so that the fuzz tests drive this very framing code without an HTTP server.
     */
    static boolean decode(InputStream body, StreamFraming framing, Predicate<SseEvent> onEvent, Runnable onLine)
            throws IOException {
        SseParser parser = new SseParser();
        boolean completed = false;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while (!completed && (line = reader.readLine()) != null) {
                onLine.run();
                Optional<SseEvent> event = framing == StreamFraming.JSON_LINES
                        ? (line.isBlank() ? Optional.empty() : Optional.of(new SseEvent(null, line)))
                        : parser.line(line);
                if (event.isPresent()) {
                    completed = onEvent.test(event.get());
                }
            }
            Optional<SseEvent> last = parser.flush();
            if (!completed && last.isPresent()) {
                completed = onEvent.test(last.get());
            }
        }
        return completed;
    }

    private void stopIfIdle(Duration timeout) {
        if (System.nanoTime() - lastActivity > timeout.toNanos() && !idleTimedOut) {
            idleTimedOut = true;
            closeBody();
            thread.interrupt();
        }
    }

    private String readErrorBody() {
        try (InputStream in = body) {
            return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(the error body could not be read: " + e.getClass().getSimpleName() + ")";
        }
    }

    private void deliverText(String delta) {
        delivery.lock();
        try {
            if (cancelled) {
                throw new CancellationException(transport.provider() + ": stream cancelled");
            }
            delivered = true;
            handler.onText(delta);
        } catch (RuntimeException e) {
            if (e instanceof CancellationException) {
                throw e;
            }
            throw new HandlerFailure(e);
        } finally {
            delivery.unlock();
        }
    }

    private void deliverCompletion(ChatResponse response) {
        delivery.lock();
        try {
            if (cancelled) {
                return;
            }
            try {
                for (Part.ToolCall toolCall : response.toolCalls()) {
                    handler.onToolCall(toolCall);
                }
                handler.onComplete(response);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            result.complete(response);
        } finally {
            delivery.unlock();
        }
    }

    private void deliverError(ModelException failure) {
        delivery.lock();
        try {
            if (cancelled) {
                return;
            }
            try {
                handler.onError(failure);
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
            result.completeExceptionally(failure);
        } finally {
            delivery.unlock();
        }
    }

    private void closeBody() {
        InputStream in = body;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                LOG.debug("{}: closing the stream's body failed", transport.provider(), e);
            }
        }
    }

    /** A handler callback threw: the stream stops and its result fails with the handler's exception. */
    private static final class HandlerFailure extends RuntimeException {
        HandlerFailure(RuntimeException cause) {
            super(cause);
        }
    }
}

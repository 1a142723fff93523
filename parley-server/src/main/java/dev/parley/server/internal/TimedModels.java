package dev.parley.server.internal;

import dev.parley.models.ChatModel;
import dev.parley.models.ChatRequest;
import dev.parley.models.ChatResponse;
import dev.parley.models.ChatStream;
import dev.parley.models.StreamHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * Wraps the server's models so every call is timed into {@code parley.model.latency}: a gateway turn's time splits
 * into the upstream's part and Parley's own. The behaviour is the delegate's.
 */
final class TimedModels {
    private TimedModels() {
    }

    /** The same models under the same names, each timed. */
    static Map<String, ChatModel> wrap(Map<String, ChatModel> models, Metrics metrics) {
        Map<String, ChatModel> out = new LinkedHashMap<>();
        models.forEach((name, model) -> out.put(name, new Timed(model, metrics)));
        return out;
    }

    private record Timed(ChatModel delegate, Metrics metrics) implements ChatModel {
        @Override
        public String provider() {
            return delegate.provider();
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            long start = System.nanoTime();
            String outcome = "error";
            try {
                ChatResponse response = delegate.chat(request);
                outcome = "success";
                return response;
            } finally {
                metrics.modelCall(delegate.provider(), "chat", outcome, System.nanoTime() - start);
            }
        }

        @Override
        public ChatStream stream(ChatRequest request, StreamHandler handler) {
            long start = System.nanoTime();
            ChatStream stream;
            try {
                stream = delegate.stream(request, handler);
            } catch (RuntimeException | Error e) {
                metrics.modelCall(delegate.provider(), "stream", "error", System.nanoTime() - start);
                throw e;
            }
            stream.result().whenComplete((response, failure) -> metrics.modelCall(delegate.provider(), "stream",
                    outcome(failure), System.nanoTime() - start));
            return stream;
        }

        private static String outcome(Throwable failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            return cause == null ? "success" : cause instanceof CancellationException ? "cancelled" : "error";
        }

        @Override
        public String renderRequest(ChatRequest request) {
            return delegate.renderRequest(request);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}

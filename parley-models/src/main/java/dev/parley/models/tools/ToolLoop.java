package dev.parley.models.tools;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import dev.parley.models.ChatModel;
import dev.parley.models.ChatRequest;
import dev.parley.models.ChatResponse;
import dev.parley.models.StreamHandler;
import dev.parley.models.ToolSpec;
import dev.parley.models.Usage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs a model with tools until it answers: call the model; if the reply asks for tools, run every call (several
 * calls of one reply concurrently, their results kept in the calls' order), add the assistant's calls and one
 * tool message per result to the history, and call the model again, for at most {@code maxRounds} rounds of
 * tool calls (default 8; past that, {@link ToolLoopLimitException}).
 *
 * <pre>{@code
 * ToolLoop loop = ToolLoop.builder(model, tools).maxRounds(4).build();
 * ToolLoopResult result = loop.run(ChatRequest.of("gpt-4o-mini", history));
 * session.addAll(result.messages());   // the calls, the results and the final reply, together
 * }</pre>
 *
 * A tool's failure never ends the loop: it is an error result the model sees (see {@link ToolRegistry#execute}).
 * Model failures ({@link dev.parley.models.ModelException}) and interceptor failures do end it, and nothing
 * partial is returned. Interrupting the thread that runs the loop cancels it ({@link CancellationException}).
 */
public final class ToolLoop {
    public static final int DEFAULT_MAX_ROUNDS = 8;

    private final ChatModel model;
    private final ToolRegistry registry;
    private final int maxRounds;
    private final ToolInterceptor interceptor;

    private ToolLoop(Builder builder) {
        this.model = builder.model;
        this.registry = builder.registry;
        this.maxRounds = builder.maxRounds;
        this.interceptor = builder.interceptor;
    }

    public static Builder builder(ChatModel model, ToolRegistry registry) {
        return new Builder(model, registry);
    }

    /** Runs the loop with non-streamed model calls. */
    public ToolLoopResult run(ChatRequest request) {
        return loop(request, null);
    }

    /** Runs the loop with streamed model calls: the text of every model call reaches {@code onText} as it is generated. */
    public ToolLoopResult run(ChatRequest request, Consumer<String> onText) {
        return loop(request, Objects.requireNonNull(onText, "onText"));
    }

    private ToolLoopResult loop(ChatRequest request, Consumer<String> onText) {
        ChatRequest withTools = request.withTools(tools(request.tools()));
        List<Message> history = new ArrayList<>(request.messages());
        List<Message> produced = new ArrayList<>();
        Usage usage = Usage.ZERO;
        for (int round = 0; ; round++) {
            ChatRequest call = withTools.withMessages(history);
            ChatResponse response = onText == null ? model.chat(call) : model.stream(call, StreamHandler.onText(onText)).await();
            usage = usage.plus(response.usage());
            produced.add(response.message());
            history.add(response.message());
            if (!response.hasToolCalls()) {
                return new ToolLoopResult(produced, response, usage, round);
            }
            if (round == maxRounds) {
                String calls = response.toolCalls().stream().map(Part.ToolCall::name).collect(Collectors.joining(", "));
                throw new ToolLoopLimitException(maxRounds, produced, usage, calls);
            }
            for (Part.ToolResult result : execute(response.toolCalls())) {
                Message message = new Message(Role.TOOL, List.of(result), null, Map.of());
                produced.add(message);
                history.add(message);
            }
        }
    }

    /** The registry's tools, plus any the request declared itself (the registry's win on a name clash). */
    private List<ToolSpec> tools(List<ToolSpec> declared) {
        Map<String, ToolSpec> all = new LinkedHashMap<>();
        registry.specs().forEach(spec -> all.put(spec.name(), spec));
        declared.forEach(spec -> all.putIfAbsent(spec.name(), spec));
        return List.copyOf(all.values());
    }

    private List<Part.ToolResult> execute(List<Part.ToolCall> calls) {
        if (calls.size() == 1) {
            return List.of(executeOne(calls.getFirst()));
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Part.ToolResult>> pending = new ArrayList<>();
            for (Part.ToolCall call : calls) {
                pending.add(executor.submit(() -> executeOne(call)));
            }
            List<Part.ToolResult> results = new ArrayList<>();
            for (Future<Part.ToolResult> future : pending) {
                results.add(await(future, pending));
            }
            return results;
        }
    }

    private static Part.ToolResult await(Future<Part.ToolResult> future, List<Future<Part.ToolResult>> all) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            all.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            CancellationException cancelled = new CancellationException("the tool loop was interrupted while tools ran");
            cancelled.initCause(e);
            throw cancelled;
        } catch (ExecutionException e) {
            all.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a tool execution failed: " + e.getCause(), e.getCause());
        }
    }

    private Part.ToolResult executeOne(Part.ToolCall call) {
        String arguments = Objects.requireNonNull(interceptor.beforeCall(call), "arguments returned by the interceptor");
        Part.ToolResult result = registry.execute(new Part.ToolCall(call.id(), call.name(), arguments));
        return Objects.requireNonNull(interceptor.afterCall(call, result), "result returned by the interceptor");
    }

    /** Configures a {@link ToolLoop}. */
    public static final class Builder {
        private final ChatModel model;
        private final ToolRegistry registry;
        private int maxRounds = DEFAULT_MAX_ROUNDS;
        private ToolInterceptor interceptor = ToolInterceptor.NONE;

        private Builder(ChatModel model, ToolRegistry registry) {
            this.model = Objects.requireNonNull(model, "model");
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** The most rounds of tool calls in one run (1-100, default 8). */
        public Builder maxRounds(int rounds) {
            if (rounds < 1 || rounds > 100) {
                throw new InvalidInputException("maxRounds", "maxRounds must be between 1 and 100: " + rounds);
            }
            this.maxRounds = rounds;
            return this;
        }

        public Builder interceptor(ToolInterceptor value) {
            this.interceptor = Objects.requireNonNull(value, "interceptor");
            return this;
        }

        public ToolLoop build() {
            return new ToolLoop(this);
        }
    }
}

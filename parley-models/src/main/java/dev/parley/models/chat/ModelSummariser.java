package dev.parley.models.chat;

import dev.parley.InvalidInputException;
import dev.parley.context.Summariser;
import dev.parley.context.Summary;
import dev.parley.domain.Message;
import dev.parley.models.ChatModel;
import dev.parley.models.ChatRequest;
import dev.parley.models.ChatResponse;
import dev.parley.models.ModelException;
import dev.parley.models.ModelParams;

import java.util.List;
import java.util.Objects;

/**
 * A {@link Summariser} that asks a chat model for the summary, for {@link dev.parley.context.ContextPolicy#summarising}
 * and {@link dev.parley.Session#summarizeAndContinue}.
 *
 * <pre>{@code
 * ChatModel openai = OpenAiChatModel.fromEnvironment();
 * Summariser summariser = ModelSummariser.builder(openai).model("gpt-4o-mini").build();
 * Chat chat = Chat.builder(session).model(openai).defaultModel("gpt-4o")
 *         .policy(ContextPolicy.summarising(12_000, 8, summariser)).build();
 * }</pre>
 *
 * <p>The model is sent two messages: the fixed {@link #INSTRUCTION} as a system message, and the conversation as a
 * plain-text transcript in one user message. Tool calls and results become lines of that transcript rather than
 * structured parts, so the request is a valid conversation for every provider whatever the history holds (a tool
 * result whose call was summarised earlier, provider artefacts of another model). An earlier summary, which the
 * context builder passes first, is marked as such and folded into the new one. The reply is bounded by
 * {@code maxTokens} (default {@value #DEFAULT_MAX_TOKENS}). A failed call throws the adapter's {@link ModelException};
 * an empty reply is a {@link ModelException.MalformedResponse}. Thread-safe if the model is.
 */
public final class ModelSummariser implements Summariser {
    /** The system message of every summary request. */
    public static final String INSTRUCTION = """
            You condense conversations so they can continue without their full history. Summarise the conversation \
            in the transcript you are given: the user's goals and questions, the facts, names, numbers and decisions \
            established, what the assistant answered or did (tool calls and their results included), and what is \
            still open. If the transcript starts with an earlier summary, fold it in: your summary replaces it. \
            Write in the language of the conversation, as plain prose or short bullet points, at most 250 words, \
            without a preamble. Do not answer the user or continue the conversation.""";

    /** The reply bound when none is configured. */
    public static final int DEFAULT_MAX_TOKENS = 1024;

    private final ChatModel model;
    private final String modelName;
    private final int maxTokens;

    private ModelSummariser(Builder builder) {
        this.model = builder.model;
        this.modelName = builder.modelName;
        this.maxTokens = builder.maxTokens;
    }

    /** A summariser calling {@code model}; name the model to use with {@link Builder#model(String)}. */
    public static Builder builder(ChatModel model) {
        return new Builder(model);
    }

    @Override
    public Summary summarise(List<Message> messages) {
        if (messages == null || messages.isEmpty()) {
            throw new InvalidInputException("messages", "there is nothing to summarise");
        }
        ChatRequest request = new ChatRequest(modelName,
                List.of(Message.system(INSTRUCTION), Message.user("Summarise this conversation.\n\n" + Transcript.of(messages))),
                List.of(), ModelParams.builder().maxTokens(maxTokens).build());
        ChatResponse response = model.chat(request);
        String text = response.text().strip();
        if (text.isEmpty()) {
            throw new ModelException.MalformedResponse(model.provider(), model.provider()
                    + " answered the summary request with no text (finish reason " + response.rawFinishReason() + ")", 0, null);
        }
        return new Summary(text);
    }

    @Override
    public String toString() {
        return "ModelSummariser[" + model.provider() + (modelName == null ? "" : "/" + modelName) + ", maxTokens=" + maxTokens + "]";
    }

    /** Configures a {@link ModelSummariser}. */
    public static final class Builder {
        private final ChatModel model;
        private String modelName;
        private int maxTokens = DEFAULT_MAX_TOKENS;

        private Builder(ChatModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The model to ask (unset: the adapter's default model, which it must then have). */
        public Builder model(String name) {
            if (name == null || name.isBlank()) {
                throw new InvalidInputException("model", "the summary model's name must not be blank");
            }
            this.modelName = name;
            return this;
        }

        /** The most tokens a summary may take (the request's {@code maxTokens}). */
        public Builder maxTokens(int tokens) {
            if (tokens < 16) {
                throw new InvalidInputException("maxTokens", "a summary needs maxTokens >= 16: " + tokens);
            }
            this.maxTokens = tokens;
            return this;
        }

        public ModelSummariser build() {
            return new ModelSummariser(this);
        }
    }
}

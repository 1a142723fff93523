package dev.parley.context;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.tokens.EstimatingTokenizer;
import dev.parley.tokens.MessageTokens;

import java.util.List;
import java.util.Objects;

/**
 * How full a branch's context is, with the semantics of the Chrome Prompt API: {@link #contextWindow()},
 * {@link #contextUsage()}, {@link #measureContextUsage(String)}, a {@link Level}, an
 * {@link OverflowListener}, and {@link QuotaExceededException} when even the policy cannot make a
 * request fit. Every question is answered from the store as it is now, so a quota object can live as
 * long as its session handle. Thread-safe.
 *
 * <pre>{@code
 * Quota quota = Quota.builder(contexts.source(tenant, sessionId, session::head))
 *         .model("gpt-4o")                                   // window 128,000, exact o200k_base counts
 *         .policy(ContextPolicy.tokenBudget(16_000, 1_000))
 *         .onOverflow(o -> log.info("context cut: {}", o))
 *         .build();
 * Context context = quota.prepare("What did we decide about the venue?");  // or QuotaExceededException
 * }</pre>
 */
public final class Quota {

    /** How full the context is, as a share of the context window. */
    public enum Level {
        /** Below the warning threshold (0.75 by default). */
        SAFE,
        /** From the warning threshold up to the critical one (0.90 by default). */
        WARNING,
        /** From the critical threshold up to the exhausted one (1.0 by default). */
        CRITICAL,
        /** At or past the exhausted threshold: the next request will not fit without dropping history. */
        EXHAUSTED
    }

    private final ContextSource source;
    private final ContextPolicy policy;
    private final MessageTokens tokens;
    private final int contextWindow;
    private final double warning;
    private final double critical;
    private final double exhausted;
    private final OverflowListener listener;

    private Quota(Builder b, int contextWindow, MessageTokens tokens) {
        this.source = b.source;
        this.policy = b.policy;
        this.tokens = tokens;
        this.contextWindow = contextWindow;
        this.warning = b.warning;
        this.critical = b.critical;
        this.exhausted = b.exhausted;
        this.listener = b.listener;
    }

    public static Builder builder(ContextSource source) {
        return new Builder(source);
    }

    /** The model's context window, in tokens. */
    public int contextWindow() {
        return contextWindow;
    }

    public ContextPolicy policy() {
        return policy;
    }

    public MessageTokens tokens() {
        return tokens;
    }

    /**
     * The tokens a context may hold: the context window, or with a token budget policy the smaller of
     * the window and its {@code maxTokens}, less its {@code reserveForReply}.
     */
    public int inputQuota() {
        ContextPolicy.TokenBudget budget = budgetOf(policy);
        return budget == null ? contextWindow : Math.min(contextWindow, budget.maxTokens()) - budget.reserveForReply();
    }

    /** The tokens of the context the policy builds now (a summarising policy is measured without summarising). */
    public int contextUsage() {
        return source.build(policy, tokens, List.of(), false).totalTokens();
    }

    /** The tokens {@code text} would add to the context as a user message, framing included. */
    public int measureContextUsage(String text) {
        if (text == null) {
            throw new InvalidInputException("text", "text is required");
        }
        return tokens.count(Message.user(text));
    }

    /** The level of the current {@link #contextUsage()}. */
    public Level level() {
        return levelOf(contextUsage());
    }

    /** The level of a context of {@code usage} tokens. */
    public Level levelOf(long usage) {
        double share = (double) usage / contextWindow;
        if (share >= exhausted) {
            return Level.EXHAUSTED;
        }
        if (share >= critical) {
            return Level.CRITICAL;
        }
        return share >= warning ? Level.WARNING : Level.SAFE;
    }

    /** Whether {@code tokens} more fit in the {@link #inputQuota()} without the policy dropping anything. */
    public boolean hasAvailableQuota(int tokens) {
        if (tokens < 0) {
            throw new InvalidInputException("tokens", "tokens must be >= 0: " + tokens);
        }
        return (long) contextUsage() + tokens <= inputQuota();
    }

    /** {@link #prepare(List)} for one user message. */
    public Context prepare(String userText) {
        if (userText == null) {
            throw new InvalidInputException("text", "text is required");
        }
        return prepare(List.of(Message.user(userText)));
    }

    /**
     * The context to send with {@code request}, as the policy builds it, summarising if it must (the
     * summary is for the caller to append). Tells the overflow listener when history was dropped or
     * summarised.
     *
     * @throws QuotaExceededException if the context is still larger than {@link #inputQuota()}
     */
    public Context prepare(List<Message> request) {
        if (request == null || request.stream().anyMatch(Objects::isNull)) {
            throw new InvalidInputException("request", "request must be a list of messages without nulls");
        }
        Context context = source.build(policy, tokens, request, true);
        int limit = inputQuota();
        if (context.totalTokens() > limit) {
            long requested = context.messages().stream()
                    .filter(m -> m.source() == ContextMessage.Source.REQUEST).mapToLong(ContextMessage::tokens).sum();
            throw new QuotaExceededException(requested, Math.max(0, limit - (context.totalTokens() - requested)));
        }
        if (context.overflowed() && listener != null) {
            Overflow.Kind kind = context.summaryDraft() != null ? Overflow.Kind.SUMMARISED : Overflow.Kind.DROPPED;
            listener.onOverflow(new Overflow(kind, context.omittedMessages(), context.totalTokens(), contextWindow));
        }
        return context;
    }

    private static ContextPolicy.TokenBudget budgetOf(ContextPolicy policy) {
        return switch (policy) {
            case ContextPolicy.TokenBudget b -> b;
            case ContextPolicy.Filtered f -> budgetOf(f.then());
            case ContextPolicy.All a -> null;
            case ContextPolicy.LastMessages l -> null;
            case ContextPolicy.Summarising s -> null;
        };
    }

    /** Configures a {@link Quota}; a window comes from {@link #model} (the known table) or {@link #contextWindow}. */
    public static final class Builder {
        private final ContextSource source;
        private ContextPolicy policy = ContextPolicy.all();
        private MessageTokens tokens;
        private String model;
        private Integer contextWindow;
        private double warning = 0.75;
        private double critical = 0.90;
        private double exhausted = 1.0;
        private OverflowListener listener;

        private Builder(ContextSource source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /** The policy that builds contexts ({@link ContextPolicy#all()} unless set). */
        public Builder policy(ContextPolicy value) {
            if (value == null) {
                throw new InvalidInputException("policy", "a context policy is required");
            }
            this.policy = value;
            return this;
        }

        /** The model: its window from {@link ContextWindows} unless configured, its tokenizer unless {@link #tokens} is set. */
        public Builder model(String value) {
            if (value == null || value.isBlank()) {
                throw new InvalidInputException("model", "model is required");
            }
            this.model = value;
            return this;
        }

        /** The context window, overriding the known table (for fine-tunes, local models, 1M-token betas). */
        public Builder contextWindow(int value) {
            if (value < 1) {
                throw new InvalidInputException("contextWindow", "contextWindow must be >= 1: " + value);
            }
            this.contextWindow = value;
            return this;
        }

        /** How messages are counted; by default {@link MessageTokens#forModel} of the model, or the estimator. */
        public Builder tokens(MessageTokens value) {
            this.tokens = Objects.requireNonNull(value, "tokens");
            return this;
        }

        /** Level thresholds as shares of the window: {@code 0 < warning < critical <= 1}; exhausted stays 1.0. */
        public Builder thresholds(double warningShare, double criticalShare) {
            return thresholds(warningShare, criticalShare, 1.0);
        }

        /** Level thresholds as shares of the window: {@code 0 < warning < critical <= exhausted <= 1}. */
        public Builder thresholds(double warningShare, double criticalShare, double exhaustedShare) {
            if (!(warningShare > 0 && warningShare < criticalShare && criticalShare <= exhaustedShare && exhaustedShare <= 1.0)) {
                throw new InvalidInputException("thresholds", "thresholds must satisfy 0 < warning < critical <= exhausted <= 1: "
                        + warningShare + " / " + criticalShare + " / " + exhaustedShare);
            }
            this.warning = warningShare;
            this.critical = criticalShare;
            this.exhausted = exhaustedShare;
            return this;
        }

        public Builder onOverflow(OverflowListener value) {
            this.listener = value;
            return this;
        }

        public Quota build() {
            int window;
            if (contextWindow != null) {
                window = contextWindow;
            } else if (model != null) {
                window = ContextWindows.require(model);
            } else {
                throw new InvalidInputException("context window",
                        "a context window is required: name a known model or configure contextWindow(tokens)");
            }
            MessageTokens counter = tokens != null ? tokens
                    : model != null ? MessageTokens.forModel(model) : MessageTokens.of(EstimatingTokenizer.standard());
            return new Quota(this, window, counter);
        }
    }
}

package dev.parley.models.chat;

import dev.parley.Budget;
import dev.parley.ConflictException;
import dev.parley.IdempotencyMismatchException;
import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.analytics.Counters;
import dev.parley.context.Context;
import dev.parley.context.ContextPolicy;
import dev.parley.context.ContextSource;
import dev.parley.context.OverflowListener;
import dev.parley.context.Quota;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Payload;
import dev.parley.domain.Role;
import dev.parley.domain.SessionInfo;
import dev.parley.json.ParleyJson;
import dev.parley.models.ChatModel;
import dev.parley.models.ChatRequest;
import dev.parley.models.ChatResponse;
import dev.parley.models.ModelParams;
import dev.parley.models.StreamHandler;
import dev.parley.models.ToolSpec;
import dev.parley.models.Usage;
import dev.parley.models.tools.ToolInterceptor;
import dev.parley.models.tools.ToolLoop;
import dev.parley.spi.PrivacyHook;
import dev.parley.models.tools.ToolLoopResult;
import dev.parley.models.tools.ToolRegistry;
import dev.parley.store.EntryDraft;
import dev.parley.store.Idempotency;
import dev.parley.store.IdempotencyRecord;
import dev.parley.store.PointerOp;
import dev.parley.store.SessionSnapshot;
import dev.parley.store.Target;
import dev.parley.store.WriteRequest;
import dev.parley.store.WriteResult;
import dev.parley.tokens.Calibration;
import dev.parley.tokens.MessageTokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Conversations with models over a session. A turn: reserve budget and check the quota; note the
 * branch head; build the context from the store by the policy; call the model (tool rounds
 * included); then append the caller's message(s) and everything the model produced <em>together</em>,
 * conditional on the head noted at the start; settle the budget with the reported usage. A failed
 * or cancelled call appends nothing. On a conflict the {@link AdmissionPolicy} decides. A turn may also
 * continue from an earlier entry, send instructions that are not stored, and leave tool calls to the
 * caller (see {@link TurnOptions}).
 *
 * <pre>{@code
 * Chat chat = Chat.builder(session).model(OpenAiChatModel.fromEnvironment()).defaultModel("gpt-4o")
 *         .policy(ContextPolicy.tokenBudget(16_000, 1_000)).build();
 * TurnResult r = chat.send("Hello!");
 * chat.send(TurnOptions.of("And now in French").provider("anthropic", "claude-sonnet-4-5"));
 * }</pre>
 */
public final class Chat {
    private static final int DEFAULT_MAX_TOKENS = 1024;
    private static final int QUEUE_ATTEMPTS = 3;
    private static final int VAULT_ATTEMPTS = 5;
    private static final Map<String, ReentrantLock> TURN_LOCKS = new ConcurrentHashMap<>();

    private final Session session;
    private final Map<String, ChatModel> models;
    private final String defaultProvider;
    private final String defaultModel;
    private final ContextPolicy policy;
    private final Integer contextWindow;
    private final AdmissionPolicy admission;
    private final ToolRegistry tools;
    private final int maxToolRounds;
    private final ModelParams defaultParams;
    private final PrivacyHook privacy;
    private final OverflowListener overflow;
    private final Calibration calibration;

    private Chat(Builder b) {
        this.session = b.session;
        this.models = Map.copyOf(b.models);
        this.defaultProvider = b.defaultProvider;
        this.defaultModel = b.defaultModel;
        this.policy = b.policy;
        this.contextWindow = b.contextWindow;
        this.admission = b.admission;
        this.tools = b.tools;
        this.maxToolRounds = b.maxToolRounds;
        this.defaultParams = b.params;
        this.privacy = b.privacy;
        this.overflow = b.overflow;
        this.calibration = b.calibration;
    }

    public static Builder builder(Session session) {
        return new Builder(session);
    }

    public TurnResult send(String text) {
        return send(TurnOptions.of(text));
    }

    /** Runs one turn and returns once it is appended. */
    public TurnResult send(TurnOptions options) {
        return runTurn(options, null);
    }

    /** Streams one turn: restored text reaches {@code onText} as it arrives; the turn is appended when the reply is complete. */
    public TurnStream stream(String text, Consumer<String> onText) {
        return stream(TurnOptions.of(text), onText);
    }

    public TurnStream stream(TurnOptions options, Consumer<String> onText) {
        Objects.requireNonNull(onText, "onText");
        CompletableFuture<TurnResult> result = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("parley-turn-" + session.id()).unstarted(() -> {
            try {
                result.complete(runTurn(options, onText));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        worker.start();
        return new TurnStream() {
            @Override
            public CompletableFuture<TurnResult> result() {
                return result;
            }

            @Override
            public void cancel() {
                worker.interrupt();
                result.cancel(false);
            }
        };
    }

    /**
     * The request this session's branch would send to {@code provider} now (its exact JSON body):
     * one history rendered for any provider.
     */
    public String messagesFor(String provider) {
        return messagesFor(provider, defaultModel(provider, session::info));
    }

    /** The request this branch would send to {@code provider}'s {@code modelName} now. */
    public String messagesFor(String provider, String modelName) {
        ChatModel model = model(provider);
        Context context = session.context(policy, tokens(modelName, provider));
        if (context.messages().isEmpty()) {
            throw new InvalidInputException("session", "session " + session.id() + " has no messages to render");
        }
        return model.renderRequest(new ChatRequest(modelName, context.toMessages(), tools == null ? List.of() : tools.specs(),
                defaultParams));
    }

    // ---- the turn ---------------------------------------------------------------------------------

    private TurnResult runTurn(TurnOptions options, Consumer<String> onText) {
        ReentrantLock lock = admission == AdmissionPolicy.QUEUE
                ? TURN_LOCKS.computeIfAbsent(session.tenant() + "/" + session.id(), k -> new ReentrantLock(true)) : null;
        if (lock != null) {
            lock.lock();
        }
        try {
            int attempts = admission == AdmissionPolicy.QUEUE ? QUEUE_ATTEMPTS : 1;
            for (int attempt = 1; ; attempt++) {
                try {
                    // A session (and path) the caller read before the turn serves its first attempt only: a conflict
                    // means it is out of date, and the next attempt reads the session afresh.
                    return attempt(options, onText, attempt == 1 ? options.knownSession() : null,
                            attempt == 1 ? options.knownPath() : List.of());
                } catch (ConflictException e) {
                    if (e.reason() != ConflictException.Reason.HEAD || attempt >= attempts) {
                        throw e;
                    }
                }
            }
        } finally {
            if (lock != null) {
                lock.unlock();
            }
        }
    }

    private TurnResult attempt(TurnOptions options, Consumer<String> onText, SessionSnapshot known, List<Entry> knownPath) {
        Session branch = session.on(options.branch());
        String provider = options.provider() != null ? options.provider() : defaultProvider;
        ChatModel model = model(provider);
        ModelParams params = options.params().withDefaults(defaultParams);
        if (!options.callerTools().isEmpty() && tools != null && !tools.specs().isEmpty()) {
            throw new InvalidInputException("callerTools", "a turn cannot offer tools the caller runs on a chat that runs its own"
                    + " tools (" + String.join(", ", tools.specs().stream().map(ToolSpec::name).toList()) + ")");
        }
        // One read for the head the turn is conditional on and for the row its privacy, model, context and budget need.
        SessionSnapshot snapshot = known != null ? requireThisSession(known)
                : session.parley().store().find(session.tenant(), session.id())
                        .orElseThrow(() -> new NotFoundException("no session " + session.id()));
        PrivacyHook.Turn privacyTurn = privacy.start(branch, snapshot.info());
        List<Message> incoming = options.messages().stream().map(privacyTurn::sanitise).toList();

        String idempotencyKey = options.idempotencyKey();
        Idempotency idempotency = idempotencyKey == null ? null : new Idempotency(idempotencyKey, requestHash(options));
        if (idempotency != null) {
            TurnResult replay = claim(branch, idempotency, privacyTurn, provider);
            if (replay != null) {
                return replay;
            }
        }
        boolean written = false;
        boolean settled = false;
        try {
            EntryId head = snapshot.branch(branch.branchName()).orElseThrow(() -> new NotFoundException("no branch "
                    + branch.branchName() + " in session " + session.id())).head();
            String modelName = options.model() != null ? options.model() : defaultModel(provider, snapshot::info);
            EntryId base = options.from() != null ? requireEntry(options.from()) : head;
            OpenToolCalls open = incoming.isEmpty() || incoming.getFirst().role() != Role.TOOL ? OpenToolCalls.none(base)
                    : OpenToolCalls.before(session, base);
            MessageTokens tokens = tokens(modelName, provider);
            ContextSource source = session.parley().contextBuilder().source(snapshot.info(), open::contextHead, knownPath);
            Quota.Builder quotaBuilder = Quota.builder(source).policy(policy).tokens(tokens);
            if (contextWindow != null) {
                quotaBuilder.contextWindow(contextWindow);
            } else {
                quotaBuilder.model(modelName == null ? provider : modelName);
            }
            if (overflow != null) {
                quotaBuilder.onOverflow(overflow);
            }
            List<Message> asked = new ArrayList<>(open.messages());
            asked.addAll(incoming);
            Context context = quotaBuilder.build().prepare(asked);
            List<Message> sent = new ArrayList<>(options.instructions());
            sent.addAll(context.toMessages());
            int promptTokens = context.totalTokens() + options.instructions().stream().mapToInt(tokens::count).sum();

            int maxTokens = params.maxTokens() != null ? params.maxTokens() : DEFAULT_MAX_TOKENS;
            Budget budget = branch.budget();
            Budget.Reservation reservation = budget.reserve((long) promptTokens + maxTokens, snapshot.info());
            Usage usage = Usage.ZERO;
            try {
                ChatRequest request = new ChatRequest(modelName, sent, List.of(), params);
                Instant started = Instant.now();
                ToolLoopResult result = options.callerTools().isEmpty() ? runTools(model, request, privacyTurn, onText)
                        : callOnce(model, request.withTools(options.callerTools()), privacyTurn, onText);
                Duration latency = Duration.between(started, Instant.now());
                usage = result.usage();
                if (calibration != null && modelName != null) {
                    calibration.record(modelName, promptTokens, usage.inputTokens());
                }

                List<Message> stored = new ArrayList<>(incoming);
                stored.addAll(result.messages());
                Instant now = session.parley().clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                Landed landed;
                for (int vaultAttempt = 1; ; vaultAttempt++) {
                    List<EntryDraft> drafts = new ArrayList<>();
                    context.summaryToAppend().ifPresent(drafts::add);
                    stored.forEach(m -> drafts.add(new EntryDraft(now, EntryKind.MESSAGE, new Payload.MessagePayload(m))));
                    Map<String, Long> counters = new LinkedHashMap<>(Counters.forMessages(stored));
                    Counters.forModelCall(modelName == null ? provider : modelName, usage.inputTokens(), usage.outputTokens(), latency)
                            .forEach((k, v) -> counters.merge(k, v, Long::sum));
                    try {
                        landed = append(branch, head, base, drafts, counters, privacyTurn, idempotency, now,
                                new Settlement(reservation, usage.totalTokens()));
                        break;
                    } catch (ConflictException e) {
                        // Another turn issued one of our placeholders first: re-express this turn's messages against the
                        // vault as it is now and try again; the model's work is kept, never redone.
                        if (e.reason() != ConflictException.Reason.VAULT || vaultAttempt >= VAULT_ATTEMPTS) {
                            throw e;
                        }
                        stored = privacyTurn.remap(stored);
                    }
                }
                written = true;
                settled = true;
                // The user's message was counted as the request: the next turn's context finds its count cached.
                session.parley().contextBuilder().rememberRequestCounts(snapshot.info(), context, tokens, landed.write().appended());
                Message reply = CallerView.of(privacyTurn, stored.getLast());
                return new TurnResult(reply, landed.write().appended(), usage, landed.branch(), provider, result.finalResponse());
            } finally {
                if (!settled) {
                    budget.settle(reservation, usage.totalTokens());
                }
            }
        } finally {
            if (idempotency != null && !written) {
                session.parley().store().releaseIdempotency(session.tenant(), session.id(), idempotency.key());
            }
        }
    }

    private SessionSnapshot requireThisSession(SessionSnapshot known) {
        if (!known.info().tenant().equals(session.tenant()) || !known.info().id().equals(session.id())) {
            throw new InvalidInputException("knownSession", "the known session is " + known.info().tenant() + "/"
                    + known.info().id() + ", not this chat's session " + session.tenant() + "/" + session.id());
        }
        return known;
    }

    private EntryId requireEntry(EntryId entry) {
        if (session.entry(entry).isEmpty()) {
            throw new NotFoundException("no entry " + entry + " in session " + session.id());
        }
        return entry;
    }

    /** The model with the chat's own tools, run until it answers. */
    private ToolLoopResult runTools(ChatModel model, ChatRequest request, PrivacyHook.Turn privacyTurn, Consumer<String> onText) {
        ToolLoop loop = ToolLoop.builder(model, tools == null ? new ToolRegistry() : tools)
                .maxRounds(maxToolRounds).interceptor(interceptor(privacyTurn)).build();
        if (onText == null) {
            return loop.run(request);
        }
        PrivacyHook.StreamingText restored = privacyTurn.restoreStream(onText);
        ToolLoopResult result = loop.run(request, restored);
        restored.finish();
        return result;
    }

    /** One model call whose tool calls, if any, are the caller's to run. */
    private static ToolLoopResult callOnce(ChatModel model, ChatRequest request, PrivacyHook.Turn privacyTurn,
                                           Consumer<String> onText) {
        ChatResponse response;
        if (onText == null) {
            response = model.chat(request);
        } else {
            PrivacyHook.StreamingText restored = privacyTurn.restoreStream(onText);
            response = model.stream(request, StreamHandler.onText(restored)).await();
            restored.finish();
        }
        return new ToolLoopResult(List.of(response.message()), response, response.usage(), 0);
    }

    private static ToolInterceptor interceptor(PrivacyHook.Turn turn) {
        return new ToolInterceptor() {
            @Override
            public String beforeCall(Part.ToolCall call) {
                return turn.toolArguments(call);
            }

            @Override
            public Part.ToolResult afterCall(Part.ToolCall call,
                                                               Part.ToolResult result) {
                return turn.toolResult(call, result);
            }
        };
    }

    /** Where a turn's append landed. */
    private record Landed(WriteResult write, String branch) {
    }

    /**
     * Appends the turn after {@code base} conditional on the branch head it started from, and moves the branch to it
     * (keeping an old head that {@code base} leaves behind as {@code auto/<seq>}); under BRANCH, a conflict lands it
     * on a new branch started at {@code base}.
     */
    private Landed append(Session branch, EntryId head, EntryId base, List<EntryDraft> drafts, Map<String, Long> counters,
                          PrivacyHook.Turn privacyTurn, Idempotency idempotency, Instant now, Settlement settlement) {
        String name = branch.branchName();
        WriteRequest.Builder request = WriteRequest.builder(now).ifHead(name, head);
        if (java.util.Objects.equals(base, head)) {
            request.append(name, drafts);
        } else {
            request.appendAt(base == null ? new Target.Root() : Target.at(base), drafts)
                    .op(new PointerOp.PreserveHead(name, now))
                    .op(new PointerOp.SetBranch(name, Target.lastAppended(), PointerOp.Mode.MOVE));
        }
        request.vault(privacyTurn.newVaultRows()).idempotency(idempotency);
        counters.forEach(request::counter);
        try {
            return new Landed(write(request.build(), settlement), name);
        } catch (ConflictException e) {
            if (e.reason() != ConflictException.Reason.HEAD || admission != AdmissionPolicy.BRANCH) {
                throw e;
            }
        }
        String prefix = "turn/" + (base == null ? "root" : base.value());
        for (int n = 1; n < 1000; n++) {
            String newBranch = n == 1 ? prefix : prefix + "-" + n;
            WriteRequest.Builder onNewBranch = WriteRequest.builder(now)
                    .appendAt(base == null ? new Target.Root() : Target.at(base), drafts)
                    .op(new PointerOp.SetBranch(newBranch, Target.lastAppended(), PointerOp.Mode.CREATE))
                    .vault(privacyTurn.newVaultRows()).idempotency(idempotency);
            counters.forEach(onNewBranch::counter);
            try {
                return new Landed(write(onNewBranch.build(), settlement), newBranch);
            } catch (ConflictException taken) {
                if (taken.reason() != ConflictException.Reason.ALREADY_EXISTS) {
                    throw taken;
                }
            }
        }
        throw new ConflictException(ConflictException.Reason.ALREADY_EXISTS, "no free branch name under " + prefix);
    }

    /** The tokens a turn used, booked against its reservation in the same transaction as its messages. */
    private record Settlement(Budget.Reservation reservation, long used) {
    }

    private WriteResult write(WriteRequest request, Settlement settlement) {
        return session.parley().store().writeAndSettle(session.tenant(), session.id(), request,
                settlement.reservation().keys(), settlement.reservation().tokens(), settlement.used());
    }

    /** Claims the idempotency key; returns the earlier turn when it already completed. */
    private TurnResult claim(Session branch, Idempotency idempotency, PrivacyHook.Turn privacyTurn, String provider) {
        IdempotencyRecord existing = session.parley().store().claimIdempotency(session.tenant(), session.id(),
                idempotency.key(), idempotency.requestHash(), session.parley().clock().instant()).orElse(null);
        if (existing == null) {
            return null;
        }
        if (!existing.requestHash().equals(idempotency.requestHash())) {
            throw new IdempotencyMismatchException("idempotency key '" + idempotency.key()
                    + "' was already used for a different request on session " + session.id());
        }
        if (existing.pending()) {
            throw new ConflictException(ConflictException.Reason.IN_FLIGHT,
                    "a turn with idempotency key '" + idempotency.key() + "' is still in flight");
        }
        List<Entry> entries = new ArrayList<>();
        for (EntryId id : existing.entries()) {
            branch.entry(id).ifPresent(entries::add);
        }
        Message reply = entries.reversed().stream().flatMap(e -> e.message().stream())
                .filter(m -> m.role() == Role.ASSISTANT).findFirst()
                .orElseThrow(() -> new IllegalStateException("the recorded turn has no reply"));
        return new TurnResult(CallerView.of(privacyTurn, reply), entries, Usage.ZERO, branch.branchName(), provider, null);
    }

    private static String requestHash(TurnOptions options) {
        StringBuilder canonical = new StringBuilder(options.branch()).append('\n');
        if (options.from() != null) {
            canonical.append("from ").append(options.from().value()).append('\n');
        }
        canonical.append(String.join("\n", options.messages().stream().map(m -> ParleyJson.write(ParleyJson.message(m))).toList()));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private ChatModel model(String provider) {
        if (provider == null) {
            throw new InvalidInputException("provider", "no provider given and no default configured");
        }
        ChatModel model = models.get(provider);
        if (model == null) {
            throw new InvalidInputException("provider", "no model configured for provider '" + provider + "' (configured: "
                    + String.join(", ", new java.util.TreeSet<>(models.keySet())) + ")");
        }
        return model;
    }

    /** The model for {@code provider} when the turn names none; {@code info}, the session's row, is read only if needed. */
    private String defaultModel(String provider, Supplier<SessionInfo> info) {
        if (provider.equals(defaultProvider) && defaultModel != null) {
            return defaultModel;
        }
        String setting = info.get().settings().get(Parley.MODEL_SETTING_PREFIX + "model");
        return provider.equals(defaultProvider) ? setting : null;
    }

    private MessageTokens tokens(String modelName, String provider) {
        String name = modelName == null ? provider : modelName;
        return calibration == null ? MessageTokens.forModel(name) : MessageTokens.forModel(name, calibration);
    }

    /** Configures a {@link Chat}. */
    public static final class Builder {
        private final Session session;
        private final Map<String, ChatModel> models = new LinkedHashMap<>();
        private String defaultProvider;
        private String defaultModel;
        private ContextPolicy policy = ContextPolicy.all();
        private Integer contextWindow;
        private AdmissionPolicy admission = AdmissionPolicy.REJECT;
        private ToolRegistry tools;
        private int maxToolRounds = ToolLoop.DEFAULT_MAX_ROUNDS;
        private ModelParams params = ModelParams.NONE;
        private PrivacyHook privacy = PrivacyHook.NONE;
        private OverflowListener overflow;
        private Calibration calibration = new Calibration();

        private Builder(Session session) {
            this.session = Objects.requireNonNull(session, "session");
        }

        /** Adds a model under its provider name; the first one added is the default provider. */
        public Builder model(ChatModel model) {
            return model(model.provider(), model);
        }

        public Builder model(String provider, ChatModel model) {
            models.put(Objects.requireNonNull(provider, "provider"), Objects.requireNonNull(model, "model"));
            if (defaultProvider == null) {
                defaultProvider = provider;
            }
            return this;
        }

        public Builder defaultProvider(String provider) {
            this.defaultProvider = provider;
            return this;
        }

        /** The model name used with the default provider (else the session's {@code model.model} setting, else the adapter's). */
        public Builder defaultModel(String name) {
            this.defaultModel = name;
            return this;
        }

        public Builder policy(ContextPolicy value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /** The context window, for models not in Parley's table. */
        public Builder contextWindow(int tokens) {
            if (tokens < 1) {
                throw new InvalidInputException("contextWindow", "contextWindow must be >= 1: " + tokens);
            }
            this.contextWindow = tokens;
            return this;
        }

        public Builder admission(AdmissionPolicy value) {
            this.admission = Objects.requireNonNull(value, "admission");
            return this;
        }

        public Builder tools(ToolRegistry value) {
            this.tools = value;
            return this;
        }

        public Builder maxToolRounds(int value) {
            if (value < 1 || value > 100) {
                throw new InvalidInputException("maxToolRounds", "maxToolRounds must be between 1 and 100: " + value);
            }
            this.maxToolRounds = value;
            return this;
        }

        public Builder params(ModelParams value) {
            this.params = Objects.requireNonNull(value, "params");
            return this;
        }

        public Builder privacy(PrivacyHook value) {
            this.privacy = Objects.requireNonNull(value, "privacy");
            return this;
        }

        public Builder onOverflow(OverflowListener value) {
            this.overflow = value;
            return this;
        }

        /** Where reported prompt token counts calibrate the estimator (shared across chats if you pass one). */
        public Builder calibration(Calibration value) {
            this.calibration = value;
            return this;
        }

        public Chat build() {
            if (models.isEmpty()) {
                throw new InvalidInputException("models", "a chat needs at least one model");
            }
            return new Chat(this);
        }
    }
}

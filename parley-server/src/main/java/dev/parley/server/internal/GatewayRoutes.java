package dev.parley.server.internal;

import dev.parley.ConflictException;
import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.Names;
import dev.parley.domain.SessionId;
import dev.parley.domain.UserId;
import dev.parley.models.FinishReason;
import dev.parley.models.chat.Chat;
import dev.parley.models.chat.TurnOptions;
import dev.parley.models.chat.TurnResult;
import dev.parley.models.chat.TurnStream;
import dev.parley.store.SessionSnapshot;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The OpenAI-compatible stateful gateway: {@code POST /v1/chat/completions} and {@code GET /v1/models}, so any OpenAI
 * SDK works by pointing its base URL here. With {@code X-Parley-Session} the conversation lives in that session: the
 * request is lined up with the session's history ({@link HistoryRule}), the context is built from the store by the
 * session's policy, sanitised when the session sanitises, sent to the upstream, and the turn appended; without it the
 * gateway is a plain proxy to the upstream ({@link GatewayProxy}).
 *
 * <p>A session the header names that does not exist yet is created on first use, in the caller's tenant, for the user
 * {@code X-Parley-User} names (default: anonymous); a session token can only use its own, existing session.
 */
final class GatewayRoutes {
    static final String SESSION_HEADER = "X-Parley-Session";
    static final String USER_HEADER = "X-Parley-User";
    static final String BRANCH_HEADER = "X-Parley-Branch";
    static final String HISTORY_HEADER = "X-Parley-History";

    private GatewayRoutes() {
    }

    static void register(RouteTable routes) {
        routes.post("/v1/chat/completions", Access.GATEWAY, "OpenAI-compatible chat completions, kept in a session",
                GatewayRoutes::completions)
                .body("an OpenAI Chat Completions request (model, messages, tools, temperature, top_p, max_tokens or "
                        + "max_completion_tokens, stop, stream, stream_options, n); other fields go to the upstream only "
                        + "without a session, and are listed in X-Parley-Ignored with one")
                .header(SESSION_HEADER, "the session holding the conversation (created on first use); without it, a plain proxy")
                .header(USER_HEADER, "the user a session created on first use belongs to (default: anonymous)")
                .header(BRANCH_HEADER, "the branch the conversation goes on (default main; it must exist)")
                .header(HISTORY_HEADER, "delta (the messages are all new) or full (they are the whole conversation); default: "
                        + "detected (full when they hold an assistant message)")
                .streams()
                .returns(200, "an OpenAI chat.completion (with stream: chat.completion.chunk events, then [DONE]); headers "
                        + "X-Parley-Session, X-Parley-Branch and X-Parley-Reconciled (delta, append or edit)")
                .returns(409, "history_mismatch: the messages do not continue the session; or a concurrent turn landed first")
                .returns(422, "quota or budget exceeded").returns(502, "the upstream failed")
                .returns(503, "no upstream, or the upstream is unavailable or rate-limited").returns(504, "the upstream timed out");
        routes.get("/v1/models", Access.GATEWAY, "The upstream's models (OpenAI's list format)", GatewayProxy::models)
                .returns(200, "{object: list, data: [{id, object: model, owned_by}]}: an OpenAI upstream's own list, passed "
                        + "through; for another provider, its configured and default model");
    }

    static void completions(Call call) throws Exception {
        String named = call.ctx.header(SESSION_HEADER);
        if (named == null || named.isBlank()) {
            GatewayProxy.completions(call);
            return;
        }
        CompletionRequest request = CompletionRequest.parse(Body.required(call.ctx).node());
        if (request.n() > 1) {
            throw new InvalidInputException("n", "n must be 1 with " + SESSION_HEADER + ": a session keeps one reply per turn");
        }
        String branchName = call.ctx.header(BRANCH_HEADER) == null ? Names.MAIN : Names.branch(call.ctx.header(BRANCH_HEADER).strip());
        HistoryRule.Mode mode = HistoryRule.Mode.of(call.ctx.header(HISTORY_HEADER));
        Upstream upstream = call.api.upstream();
        String provider = upstream.provider();
        // Everything about the request is checked before a session is created for it.
        SessionId id = SessionId.of(named.strip());
        Parley parley = call.parley();
        // The row and the branch heads in one read: the session's owner, the model defaults, and the head a history
        // is lined up with.
        SessionSnapshot snapshot = snapshotFor(call, parley, id);
        Session session = parley.open(snapshot);
        Session branch = session.on(branchName);
        EntryId head = snapshot.branch(branchName).orElseThrow(() -> new NotFoundException("no branch " + branchName
                + " in session " + id)).head();
        Map<String, String> defaults = Views.modelDefaults(snapshot.info());
        String modelName = request.model() != null ? request.model() : ChatRoutes.modelFor(call.api, provider, defaults);

        GatewayHistory history = new GatewayHistory(call.api.fingerprints(), new HistoryRule());
        GatewayHistory.Lined lined = history.plan(branch, snapshot.info(), head, request.messages(), call.api.privacy(), mode);
        // The plan holds for the head the snapshot read: the turn gets that snapshot and its append is conditional on
        // that head, so a write landing meanwhile meets the admission policy as one landing during the model call does.
        HistoryRule.Plan plan = lined.plan();
        List<Message> fresh = request.messages().subList(plan.fresh(), request.messages().size());
        EntryId from = plan.from() == null && fresh.isEmpty() ? head : plan.from();
        TurnOptions options = new TurnOptions(fresh, provider, modelName, request.params().withDefaults(ModelDefaults.params(defaults)),
                branchName, null, from, request.instructions(), request.tools(), snapshot, lined.path());
        Chat chat = ChatRoutes.newChat(call.api, session, provider, upstream.model(), modelName, defaults, defaults.get("policy"));

        call.ctx.header(SESSION_HEADER, session.id().value());
        call.ctx.header("X-Parley-Reconciled", plan.kind().name().toLowerCase(Locale.ROOT));
        GatewayProxy.reportIgnored(call, request);
        String shownModel = modelName != null ? modelName : provider;
        if (request.stream()) {
            call.ctx.header(BRANCH_HEADER, branchName);
            CompletionStream stream = new CompletionStream(call, shownModel, request.includeUsage());
            TurnStream turn = chat.stream(options, stream.texts());
            stream.run(source(turn, shownModel), answer -> countTokens(call, provider, answer));
            return;
        }
        TurnResult result = chat.send(options);
        Completions.Answer answer = answer(result, shownModel);
        countTokens(call, provider, answer);
        call.ctx.header(BRANCH_HEADER, result.branch());
        call.ok(Completions.completion(Completions.newId(), call.api.clock().instant().getEpochSecond(), answer));
    }

    /** The named session in the caller's tenant, as stored; created on first use when the caller holds an API key. */
    private static SessionSnapshot snapshotFor(Call call, Parley parley, SessionId id) {
        String userHeader = call.ctx.header(USER_HEADER);
        UserId user = userHeader == null || userHeader.isBlank() ? null : UserId.of(userHeader.strip());
        SessionSnapshot session = parley.store().find(parley.tenant(), id).orElse(null);
        if (session == null) {
            if (call.principal instanceof Principal.TokenHolder) {
                throw new NotFoundException("no session " + id);
            }
            create(call, parley, id, user);
            session = parley.store().find(parley.tenant(), id).orElseThrow(() -> new NotFoundException("no session " + id));
        }
        if (user != null && !session.info().user().equals(user)) {
            throw new ApiException(409, "user_mismatch", "session " + id + " belongs to another user than " + USER_HEADER
                    + " names; leave the header out or name another session");
        }
        return session;
    }

    private static void create(Call call, Parley parley, SessionId id, UserId user) {
        try {
            SessionSpec.Builder spec = SessionSpec.builder().id(id).user(user);
            call.api.config().gatewayIdleTtl().ifPresent(spec::idleTtl);
            parley.create(spec.build());
            call.api.metrics().sessionCreated();
        } catch (ConflictException e) {
            // Two first requests raced: the other one created it.
            if (e.reason() != ConflictException.Reason.ALREADY_EXISTS) {
                throw e;
            }
        }
    }

    private static Completions.Answer answer(TurnResult result, String fallbackModel) {
        FinishReason finish = result.response() != null ? result.response().finishReason() : FinishReason.STOP;
        String model = result.response() != null && result.response().model() != null ? result.response().model() : fallbackModel;
        return new Completions.Answer(result.reply(), result.usage(), finish, model);
    }

    private static CompletionStream.Source source(TurnStream turn, String fallbackModel) {
        CompletableFuture<Completions.Answer> answer = turn.result().thenApply(r -> answer(r, fallbackModel));
        return new CompletionStream.Source() {
            @Override
            public CompletableFuture<Completions.Answer> result() {
                return answer;
            }

            @Override
            public void cancel() {
                turn.cancel();
            }
        };
    }

    static void countTokens(Call call, String provider, Completions.Answer answer) {
        call.api.metrics().chatTurn(provider, answer.usage().inputTokens(), answer.usage().outputTokens());
    }
}

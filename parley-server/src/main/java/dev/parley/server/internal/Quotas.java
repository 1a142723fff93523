package dev.parley.server.internal;

import dev.parley.Budget;
import dev.parley.Session;
import dev.parley.context.ContextPolicy;
import dev.parley.context.ContextWindows;
import dev.parley.context.Quota;
import dev.parley.domain.SessionInfo;
import dev.parley.tokens.EstimatingTokenizer;
import dev.parley.tokens.MessageTokens;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * How full a branch's context is and what its budgets allow. The model (request, else the session's default,
 * else the server's) chooses the tokenizer; the window is the session's {@code contextWindow} default, else the
 * known window of the model, else the server's {@code contextWindow} setting.
 */
final class Quotas {
    private Quotas() {
    }

    static String model(Api api, SessionInfo info, String requested) {
        if (requested != null) {
            return ModelDefaults.requireModelName(requested, "model");
        }
        String stored = Views.modelDefaults(info).get("model");
        return stored != null ? stored : api.config().model().orElse(null);
    }

    static ContextPolicy policy(SessionInfo info, String requested) {
        return ModelDefaults.policy(requested != null ? requested : Views.modelDefaults(info).get("policy"));
    }

    static Quota quota(Api api, Session branch, SessionInfo info, ContextPolicy policy, String model) {
        Map<String, String> defaults = Views.modelDefaults(info);
        int window = defaults.containsKey("contextWindow") ? Integer.parseInt(defaults.get("contextWindow"))
                : model != null && ContextWindows.of(model).isPresent() ? ContextWindows.of(model).getAsInt()
                : api.config().contextWindow();
        return branch.quota().policy(policy).contextWindow(window).tokens(tokens(api, model)).build();
    }

    /** How messages are counted for {@code model}: exactly for OpenAI encodings, else by the calibrated estimator. */
    static MessageTokens tokens(Api api, String model) {
        return model != null ? MessageTokens.forModel(model, api.calibration()) : MessageTokens.of(EstimatingTokenizer.standard());
    }

    static ObjectNode view(Api api, Session branch, SessionInfo info, String requestedPolicy, String requestedModel) {
        String model = model(api, info, requestedModel);
        ContextPolicy policy = policy(info, requestedPolicy);
        Quota quota = quota(api, branch, info, policy, model);
        int usage = quota.contextUsage();
        ObjectNode node = dev.parley.json.ParleyJson.object();
        node.put("branch", branch.branchName()).put("model", model)
                .put("policy", requestedPolicy != null ? requestedPolicy : Views.modelDefaults(info).getOrDefault("policy", "all"))
                .put("contextWindow", quota.contextWindow()).put("inputQuota", quota.inputQuota())
                .put("contextUsage", usage).put("level", quota.levelOf(usage).name().toLowerCase(java.util.Locale.ROOT));
        return node;
    }

    static ObjectNode budgets(Session session, SessionInfo info) {
        Budget budget = session.budget();
        ObjectNode node = dev.parley.json.ParleyJson.object();
        String own = info.settings().get(Views.BUDGET_SETTING);
        ObjectNode sessionBudget = node.putObject("session").put("used", budget.usedBySession());
        sessionBudget.put("limit", own == null ? null : Long.valueOf(own));
        node.putObject("user").put("used", budget.usedByUser());
        node.putObject("tenant").put("used", budget.usedByTenant());
        long remaining = budget.remaining();
        node.put("remaining", remaining == Long.MAX_VALUE ? null : remaining);
        return node;
    }
}

package dev.parley.cli;

import dev.parley.CloneMode;
import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Branch;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.Entry;
import dev.parley.domain.EntryId;
import dev.parley.domain.Message;
import dev.parley.domain.SessionId;
import dev.parley.domain.SessionInfo;
import dev.parley.domain.UserId;
import dev.parley.json.ParleyJson;
import dev.parley.Budget;
import dev.parley.context.Context;
import dev.parley.context.ContextMessage;
import dev.parley.context.Quota;
import dev.parley.tokens.MessageTokens;
import dev.parley.analytics.Analytics;
import dev.parley.analytics.PriceTable;
import dev.parley.domain.Role;
import dev.parley.store.Page;
import dev.parley.template.TemplateRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code parley sessions …}: create, list, inspect and change sessions. Branch-aware commands default to the current branch. */
@Command(name = "sessions", mixinStandardHelpOptions = true, description = "Create, list, inspect and change sessions.")
final class SessionsCommand {
    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    /** Where {@code -} reads from; tests replace it. */
    static InputStream stdin = System.in;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private void printJson(tools.jackson.databind.JsonNode node) {
        out().println(ParleyJson.write(node));
    }

    private static Session onBranch(Session session, String branch) {
        return branch == null ? session.onCurrentBranch() : session.on(branch);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a session and print its id.")
    int create(@Option(names = "--id", description = "Session id (default: a generated, unguessable one).") String id,
               @Option(names = "--user", description = "The user it belongs to.") String user,
               @Option(names = "--system", paramLabel = "TEXT", description = "System prompt.") String system,
               @Option(names = "--prompt", paramLabel = "ROLE:TEXT", description = "An initial prompt, e.g. user:Hello (repeatable).") List<String> prompts,
               @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata (repeatable).") Map<String, String> meta,
               @Option(names = "--state", paramLabel = "KEY=JSON", description = "Initial session state; the value is JSON, or text if not JSON (repeatable).") Map<String, String> state,
               @Option(names = "--ttl", converter = Durations.class, description = "Absolute lifetime, e.g. 30d.") Duration ttl,
               @Option(names = "--idle-ttl", converter = Durations.class, description = "Expire after this long without a write, e.g. 12h.") Duration idleTtl,
               @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0", description = "Automatic checkpoint every N messages.") int every,
               @Option(names = "--template", paramLabel = "NAME", description = "Start from a template: coding-assistant, customer-support, creative-writing.") String template,
               @Option(names = "--var", paramLabel = "KEY=VALUE", description = "A template variable (repeatable).") Map<String, String> vars,
               @Option(names = "--sanitize", negatable = true, description = "Sanitise personal data and secrets in this session's chats"
                       + " (--no-sanitize: don't). Default: PARLEY_SANITIZE (1/0), else off.") Boolean sanitize) {
        if (template == null && vars != null) {
            throw new CliException("--var needs --template");
        }
        // Written only when decided here; otherwise the session follows whatever default the runtime configures.
        String env = System.getenv("PARLEY_SANITIZE");
        Boolean sanitizing = sanitize != null ? sanitize
                : env == null ? null : dev.parley.privacy.SessionPrivacy.parseSwitch("PARLEY_SANITIZE", env);
        SessionSpec.Builder builder = template == null ? SessionSpec.builder()
                : TemplateRegistry.withBuiltIns().require(template).apply(vars == null ? Map.of() : vars);
        if (system != null) {
            builder.systemPrompt(system);
        }
        builder.ttl(ttl).idleTtl(idleTtl).checkpointEvery(every);
        if (sanitizing != null) {
            builder.setting(dev.parley.privacy.SessionPrivacy.SANITIZE_SETTING, sanitizing.toString());
        }
        if (id != null) {
            builder.id(SessionId.of(id));
        }
        if (user != null) {
            builder.user(UserId.of(user));
        }
        for (String prompt : prompts == null ? List.<String>of() : prompts) {
            int colon = prompt.indexOf(':');
            if (colon < 1) {
                throw new CliException("--prompt must be ROLE:TEXT, e.g. user:Hello — got '" + prompt + "'");
            }
            builder.initialPrompt(Message.of(Role.parse(prompt.substring(0, colon)), prompt.substring(colon + 1)));
        }
        if (meta != null) {
            builder.metadata(meta);
        }
        if (state != null) {
            state.forEach((k, v) -> builder.state(k, jsonOrText(v)));
        }
        try (Parley parley = global.open()) {
            Session session = parley.create(builder.build());
            if (global.json) {
                printJson(Render.info(session.info()));
            } else {
                out().println(session.id());
            }
        }
        return 0;
    }

    private static Object jsonOrText(String value) {
        try {
            return ParleyJson.mapper().readValue(value, Object.class);
        } catch (RuntimeException notJson) {
            return value;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List sessions, newest first.")
    int list(@Option(names = "--user", description = "Only this user's sessions.") String user,
             @Option(names = "--limit", defaultValue = "50", description = "Page size (default ${DEFAULT-VALUE}).") int limit,
             @Option(names = "--cursor", description = "The cursor printed at the end of the previous page.") String cursor) {
        try (Parley parley = global.open()) {
            Page<SessionInfo> page = parley.list(user == null ? null : UserId.of(user), cursor, limit);
            if (global.json) {
                ObjectNode node = ParleyJson.object();
                ArrayNode items = node.putArray("items");
                page.items().forEach(i -> items.add(Render.info(i)));
                if (page.nextCursor() != null) {
                    node.put("nextCursor", page.nextCursor());
                }
                printJson(node);
                return 0;
            }
            if (page.items().isEmpty()) {
                out().println("no sessions");
                return 0;
            }
            out().printf("%-28s %-16s %-21s %-21s%n", "ID", "USER", "CREATED", "UPDATED");
            for (SessionInfo i : page.items()) {
                out().printf("%-28s %-16s %-21s %-21s%n", i.id(), i.user(), Render.time(i.createdAt()), Render.time(i.updatedAt()));
            }
            if (page.nextCursor() != null) {
                out().println("more: --cursor " + page.nextCursor());
            }
        }
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a session: its row, branches, checkpoints and last messages.")
    int show(@Parameters(paramLabel = "ID") String id,
             @Option(names = "--branch", description = "Branch to show (default: the current one).") String branch,
             @Option(names = "--limit", defaultValue = "20", description = "Entries to show (default ${DEFAULT-VALUE}).") int limit) {
        try (Parley parley = global.open()) {
            Session session = onBranch(parley.open(SessionId.of(id)), branch);
            SessionInfo info = session.info();
            List<Branch> branches = session.branches();
            List<Checkpoint> checkpoints = session.checkpoints();
            List<Entry> entries = session.history(limit);
            if (global.json) {
                ObjectNode node = Render.info(info);
                node.put("branch", session.branchName());
                node.put("size", session.size());
                node.set("branches", Render.branches(branches));
                node.set("checkpoints", Render.checkpoints(checkpoints));
                ArrayNode list = node.putArray("entries");
                entries.forEach(e -> list.add(Render.entry(e)));
                printJson(node);
                return 0;
            }
            PrintWriter out = out();
            out.printf("session     %s (tenant %s, user %s)%n", info.id(), info.tenant(), info.user());
            out.printf("created     %s   updated %s   expires %s   version %d%n", Render.time(info.createdAt()),
                    Render.time(info.updatedAt()), Render.time(info.expiresAt()), info.version());
            if (!info.metadata().isEmpty()) {
                out.println("metadata    " + new java.util.TreeMap<>(info.metadata()));
            }
            List<String> described = new ArrayList<>();
            for (Branch b : branches) {
                described.add(b.name() + (b.name().equals(info.currentBranch()) ? "*" : "") + " → "
                        + (b.head() == null ? "empty" : "#" + b.head()));
            }
            out.println("branches    " + String.join(", ", described));
            if (!checkpoints.isEmpty()) {
                List<String> marks = new ArrayList<>();
                checkpoints.forEach(c -> marks.add(c.name() + " → #" + c.entry() + (c.note() == null ? "" : " (" + c.note() + ")")));
                out.println("checkpoints " + String.join(", ", marks));
            }
            out.printf("%s: %d messages, last %d entries:%n", session.branchName(), session.size(), entries.size());
            entries.forEach(e -> out.println("  " + Render.line(e)));
        }
        return 0;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Append a message (text from the arguments, or stdin with -).")
    int add(@Parameters(paramLabel = "ID") String id,
            @Parameters(paramLabel = "TEXT", arity = "1..*", description = "The message text; - reads it from stdin.") List<String> words,
            @Option(names = "--role", defaultValue = "user", description = "system, user, assistant (default ${DEFAULT-VALUE}).") String role,
            @Option(names = "--name", description = "Author or agent name.") String name,
            @Option(names = "--branch", description = "Branch to append to (default: the current one).") String branch) {
        String text = words.size() == 1 && words.getFirst().equals("-") ? stripFinalNewline(readStdin()) : String.join(" ", words);
        Message message = Message.of(Role.parse(role), text);
        if (name != null) {
            message = message.withName(name);
        }
        try (Parley parley = global.open()) {
            Entry entry = onBranch(parley.open(SessionId.of(id)), branch).add(message);
            if (global.json) {
                printJson(Render.entry(entry));
            } else {
                out().println("#" + entry.seq());
            }
        }
        return 0;
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write a session to stdout (parley: everything; openai: one branch as chat messages).")
    int export(@Parameters(paramLabel = "ID") String id,
               @Option(names = "--format", defaultValue = "parley", description = "parley or openai (default ${DEFAULT-VALUE}).") String format,
               @Option(names = "--branch", description = "Branch for --format openai (default: the current one).") String branch) {
        try (Parley parley = global.open()) {
            Session session = parley.open(SessionId.of(id));
            switch (format) {
                case "parley" -> out().println(session.exportJson());
                case "openai" -> out().println(onBranch(session, branch).exportOpenAi());
                default -> throw new CliException("--format must be parley or openai, not '" + format + "'");
            }
        }
        return 0;
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Import a Parley export from a file, or stdin with -.")
    int importSession(@Parameters(paramLabel = "FILE") String file,
                      @Option(names = "--id", description = "Import under this id instead of the document's.") String id) {
        String json;
        if (file.equals("-")) {
            json = readStdin();
        } else {
            try {
                json = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException("cannot read " + file + ": " + e.getMessage());
            }
        }
        try (Parley parley = global.open()) {
            Session session = parley.importJson(json, id == null ? null : SessionId.of(id));
            if (global.json) {
                printJson(Render.info(session.info()));
            } else {
                out().println(session.id());
            }
        }
        return 0;
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete sessions and everything they hold.")
    int remove(@Parameters(paramLabel = "ID", arity = "1..*") List<String> ids) {
        try (Parley parley = global.open()) {
            List<String> missing = new ArrayList<>();
            for (String id : ids) {
                if (!parley.delete(SessionId.of(id))) {
                    missing.add(id);
                }
            }
            if (!missing.isEmpty()) {
                throw new CliException("no session " + String.join(", ", missing) + (missing.size() < ids.size() ? " (the others were deleted)" : ""));
            }
            if (!global.json) {
                out().println("deleted " + ids.size());
            } else {
                printJson(ParleyJson.object().put("deleted", ids.size()));
            }
        }
        return 0;
    }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true, description = "Name the head of a branch.")
    int checkpoint(@Parameters(paramLabel = "ID") String id, @Parameters(paramLabel = "NAME") String name,
                   @Option(names = "--note", description = "A note kept with the checkpoint.") String note,
                   @Option(names = "--branch", description = "Branch (default: the current one).") String branch) {
        try (Parley parley = global.open()) {
            Checkpoint c = onBranch(parley.open(SessionId.of(id)), branch).checkpoint(name, note);
            report(global.json ? Render.checkpoints(List.of(c)).get(0) : null, "checkpoint " + c.name() + " → #" + c.entry());
        }
        return 0;
    }

    @Command(name = "restore", mixinStandardHelpOptions = true, description = "Move a branch back to a checkpoint (the old head is kept as auto/<seq>).")
    int restore(@Parameters(paramLabel = "ID") String id, @Parameters(paramLabel = "CHECKPOINT") String name,
                @Option(names = "--branch", description = "Branch (default: the current one).") String branch) {
        try (Parley parley = global.open()) {
            Session session = onBranch(parley.open(SessionId.of(id)), branch);
            session.restore(name);
            report(ParleyJson.object().put("branch", session.branchName()).put("head", session.head().value()),
                    session.branchName() + " → #" + session.head());
        }
        return 0;
    }

    @Command(name = "branch", mixinStandardHelpOptions = true, description = "Create a branch at the current head, an entry, or a checkpoint.")
    int branch(@Parameters(paramLabel = "ID") String id, @Parameters(paramLabel = "NAME") String name,
               @Option(names = "--from", paramLabel = "ENTRY", description = "Entry to start from.") String from,
               @Option(names = "--from-checkpoint", paramLabel = "CHECKPOINT", description = "Checkpoint to start from.") String fromCheckpoint) {
        if (from != null && fromCheckpoint != null) {
            throw new CliException("give --from or --from-checkpoint, not both");
        }
        try (Parley parley = global.open()) {
            Session session = parley.open(SessionId.of(id)).onCurrentBranch();
            Branch b = from != null ? session.branch(name, EntryId.parse(from))
                    : fromCheckpoint != null ? session.branchFromCheckpoint(name, fromCheckpoint) : session.branch(name);
            report(Render.branches(List.of(b)).get(0), "branch " + b.name() + " → " + (b.head() == null ? "empty" : "#" + b.head()));
        }
        return 0;
    }

    @Command(name = "checkout", mixinStandardHelpOptions = true, description = "Make a branch the current one.")
    int checkout(@Parameters(paramLabel = "ID") String id, @Parameters(paramLabel = "BRANCH") String name) {
        try (Parley parley = global.open()) {
            parley.open(SessionId.of(id)).checkout(name);
            report(ParleyJson.object().put("currentBranch", name), "on branch " + name);
        }
        return 0;
    }

    @Command(name = "fork", mixinStandardHelpOptions = true, description = "Create a branch at any past entry (named fork/<entry>).")
    int fork(@Parameters(paramLabel = "ID") String id, @Parameters(paramLabel = "ENTRY") String entry) {
        try (Parley parley = global.open()) {
            Session fork = parley.open(SessionId.of(id)).fork(EntryId.parse(entry));
            report(ParleyJson.object().put("branch", fork.branchName()), "branch " + fork.branchName());
        }
        return 0;
    }

    @Command(name = "clone", mixinStandardHelpOptions = true, description = "Copy a session: full history, only the initial context, or the path up to an entry.")
    int cloneSession(@Parameters(paramLabel = "ID") String id,
                     @Option(names = "--mode", defaultValue = "full", description = "full or initial (default ${DEFAULT-VALUE}).") String mode,
                     @Option(names = "--at", paramLabel = "ENTRY", description = "Cut the copy at this entry.") String at,
                     @Option(names = "--id", paramLabel = "NEW_ID", description = "Id of the copy.") String newId) {
        CloneMode cloneMode = switch (mode) {
            case "full" -> CloneMode.FULL;
            case "initial" -> CloneMode.INITIAL;
            default -> throw new CliException("--mode must be full or initial, not '" + mode + "'");
        };
        try (Parley parley = global.open()) {
            Session copy = parley.clone(SessionId.of(id), cloneMode, at == null ? null : EntryId.parse(at),
                    newId == null ? null : SessionId.of(newId));
            report(Render.info(copy.info()), copy.id().value());
        }
        return 0;
    }

    @Command(name = "merge", mixinStandardHelpOptions = true, description = "A new session interleaving two sessions' turns by time.")
    int merge(@Parameters(paramLabel = "A") String a, @Parameters(paramLabel = "B") String b,
              @Option(names = "--id", paramLabel = "NEW_ID", description = "Id of the merged session.") String newId) {
        try (Parley parley = global.open()) {
            Session merged = parley.merge(SessionId.of(a), SessionId.of(b), newId == null ? null : SessionId.of(newId));
            report(Render.info(merged.info()), merged.id().value());
        }
        return 0;
    }

    @Command(name = "redact", mixinStandardHelpOptions = true, description = "Erase one message in place, leaving a tombstone.")
    int redact(@Parameters(paramLabel = "ID") String id, @Parameters(paramLabel = "ENTRY") String entry,
               @Option(names = "--by", defaultValue = "${sys:user.name}", description = "Who erases it (default: your login).") String by) {
        try (Parley parley = global.open()) {
            Entry redacted = parley.open(SessionId.of(id)).redact(EntryId.parse(entry), by);
            report(Render.entry(redacted), "redacted #" + redacted.seq());
        }
        return 0;
    }

    @Command(name = "context", mixinStandardHelpOptions = true, description = "Print what a model would be sent, with token counts.")
    int context(@Parameters(paramLabel = "ID") String id,
                @Option(names = "--policy", defaultValue = "all", description = "all, last:N, tokens:MAX[:RESERVE] (default ${DEFAULT-VALUE}).") String policy,
                @Option(names = "--model", defaultValue = "gpt-4o", description = "Model whose tokenizer counts (default ${DEFAULT-VALUE}).") String model,
                @Option(names = "--branch", description = "Branch (default: the current one).") String branch) {
        try (Parley parley = global.open()) {
            Session session = onBranch(parley.open(SessionId.of(id)), branch);
            MessageTokens tokens = MessageTokens.forModel(model);
            Context context = session.context(Policies.parse(policy), tokens);
            if (global.json) {
                ObjectNode node = ParleyJson.object();
                node.put("model", model).put("tokenizer", tokens.tokenizer().name()).put("totalTokens", context.totalTokens())
                        .put("omittedMessages", context.omittedMessages());
                ArrayNode messages = node.putArray("messages");
                for (ContextMessage m : context.messages()) {
                    ObjectNode item = messages.addObject().put("tokens", m.tokens()).put("source", m.source().name());
                    if (m.entry() != null) {
                        item.put("entry", m.entry().value());
                    }
                    item.set("message", ParleyJson.message(m.message()));
                }
                printJson(node);
                return 0;
            }
            PrintWriter out = out();
            for (ContextMessage m : context.messages()) {
                out.printf("%6d  %-8s %-10s %s%n", m.tokens(), m.source().name().toLowerCase(java.util.Locale.ROOT),
                        m.message().role().wireName(), oneLine(m.message().text()));
            }
            int sent = context.messages().size();
            out.printf("%d tokens (%s, %s); %d %s sent, %d left out%n", context.totalTokens(), model,
                    tokens.tokenizer().name(), sent, sent == 1 ? "message" : "messages", context.omittedMessages());
        }
        return 0;
    }

    @Command(name = "quota", mixinStandardHelpOptions = true, description = "Context usage against the model's window, and token budgets.")
    int quota(@Parameters(paramLabel = "ID") String id,
              @Option(names = "--policy", defaultValue = "all", description = "all, last:N, tokens:MAX[:RESERVE] (default ${DEFAULT-VALUE}).") String policy,
              @Option(names = "--model", defaultValue = "gpt-4o", description = "Model (its window and tokenizer; default ${DEFAULT-VALUE}).") String model,
              @Option(names = "--window", description = "Context window in tokens, for models Parley does not know.") Integer window,
              @Option(names = "--branch", description = "Branch (default: the current one).") String branch) {
        try (Parley parley = global.open()) {
            Session session = onBranch(parley.open(SessionId.of(id)), branch);
            Quota.Builder builder = session.quota().model(model).policy(Policies.parse(policy));
            if (window != null) {
                builder.contextWindow(window);
            }
            Quota quota = builder.build();
            int usage = quota.contextUsage();
            Budget budget = session.budget();
            if (global.json) {
                printJson(ParleyJson.object().put("model", model).put("contextUsage", usage).put("contextWindow", quota.contextWindow())
                        .put("inputQuota", quota.inputQuota()).put("level", quota.level().name())
                        .put("budgetUsedBySession", budget.usedBySession()).put("budgetUsedByUser", budget.usedByUser()));
                return 0;
            }
            out().printf("context     %d of %d tokens (%.1f%%), level %s (%s)%n", usage, quota.contextWindow(),
                    100.0 * usage / quota.contextWindow(), quota.level(), model);
            out().printf("budget      %d tokens used by this session, %d by its user%n", budget.usedBySession(), budget.usedByUser());
        }
        return 0;
    }

    private static String oneLine(String text) {
        String flat = text.replace('\n', ' ');
        return flat.length() > 120 ? flat.substring(0, 119) + "…" : flat;
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Analytics of a session, of a user's sessions, or of the tenant.")
    int stats(@Parameters(paramLabel = "ID", arity = "0..1") String id,
              @Option(names = "--user", description = "Sum over this user's sessions.") String user) {
        if (id != null && user != null) {
            throw new CliException("give a session ID or --user, not both");
        }
        try (Parley parley = global.open()) {
            Analytics a = id != null ? parley.open(SessionId.of(id)).analytics(PriceTable.empty())
                    : parley.analytics(user == null ? null : UserId.of(user), PriceTable.empty());
            if (global.json) {
                ObjectNode node = ParleyJson.object();
                ObjectNode byRole = node.putObject("messagesByRole");
                a.messagesByRole().forEach((r, n) -> byRole.put(r.wireName(), n));
                ObjectNode avg = node.putObject("averageLengthByRole");
                a.averageLengthByRole().forEach((r, n) -> avg.put(r.wireName(), n));
                node.put("tokensIn", a.tokensIn()).put("tokensOut", a.tokensOut()).put("modelCalls", a.modelCalls());
                node.put("durationSeconds", a.duration().toSeconds()).put("messagesPerMinute", a.messagesPerMinute());
                if (a.latencyP50() != null) {
                    node.put("latencyP50Ms", a.latencyP50().toMillis()).put("latencyP95Ms", a.latencyP95().toMillis());
                }
                printJson(node);
                return 0;
            }
            PrintWriter out = out();
            out.printf("messages    %d (%s)%n", a.messages(), describeRoles(a));
            out.printf("tokens      %d in, %d out, %d model calls%n", a.tokensIn(), a.tokensOut(), a.modelCalls());
            if (a.firstActivity() != null) {
                out.printf("activity    %s → %s (%d min, %.1f messages/min)%n", Render.time(a.firstActivity()),
                        Render.time(a.lastActivity()), a.duration().toMinutes(), a.messagesPerMinute());
            }
            if (a.latencyP50() != null) {
                out.printf("latency     p50 ≤ %d ms, p95 ≤ %d ms%n", a.latencyP50().toMillis(), a.latencyP95().toMillis());
            }
        }
        return 0;
    }

    private static String describeRoles(Analytics a) {
        List<String> parts = new ArrayList<>();
        for (Role role : Role.values()) {
            long n = a.messagesByRole().get(role);
            if (n > 0) {
                parts.add(role.wireName() + " " + n + ", avg " + Math.round(a.averageLengthByRole().get(role)) + " chars");
            }
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    private void report(tools.jackson.databind.JsonNode json, String text) {
        if (global.json) {
            printJson(json);
        } else {
            out().println(text);
        }
    }

    private static String stripFinalNewline(String text) {
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static String readStdin() {
        try {
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot read stdin: " + e.getMessage());
        }
    }

}

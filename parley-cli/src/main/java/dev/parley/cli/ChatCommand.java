package dev.parley.cli;

import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.context.ContextPolicy;
import dev.parley.domain.Names;
import dev.parley.domain.SessionId;
import dev.parley.domain.UserId;
import dev.parley.models.ChatModel;
import dev.parley.models.chat.ModelSummariser;
import dev.parley.models.ollama.OllamaChatModel;
import dev.parley.privacy.SessionPrivacy;
import dev.parley.security.MasterKeys;
import dev.parley.spi.PrivacyHook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/** {@code parley chat}: a conversation with a model in the terminal, kept in a session of the store. */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Chat with a model in the terminal; the conversation is kept in a session of the store.",
                "Each line you type (or pipe in) is a turn; the reply streams as it is written."},
        footer = {"",
                "Providers: --provider, else the first of OPENAI_API_KEY, ANTHROPIC_API_KEY and GEMINI_API_KEY that is "
                        + "set, else Ollama at OLLAMA_HOST if set, or on 127.0.0.1:11434 if one answers there. "
                        + "OPENAI_BASE_URL, ANTHROPIC_BASE_URL and GEMINI_BASE_URL point a provider at another endpoint. "
                        + "Default models: openai gpt-4o-mini, anthropic claude-sonnet-4-5, gemini gemini-2.5-flash, "
                        + "ollama llama3.2.",
                "",
                "Commands: /checkpoint NAME, /restore NAME, /branch NAME (a branch at the head; the chat goes on "
                        + "there), /quota, /history, /switch PROVIDER [MODEL] (the same history, another model), "
                        + "/continue (summarise into a new session and chat there), /help, /exit. A line starting with "
                        + "// is a message starting with /.",
                "",
                "Output, for scripts: stdout carries only each reply followed by a newline, and what commands print; "
                        + "the '> ' prompt appears only when stdin is a terminal. stderr carries 'new session ID' when "
                        + "one is created and one line 'parley: ...' per failed turn or command; a failed turn stores "
                        + "nothing and the chat goes on. Exit status: 0, or 1 if any turn or command failed.",
                "",
                "Ctrl-C stops at once; a reply still streaming is not stored, since a turn is written only when "
                        + "its reply is complete.",
                "",
                "Privacy: in a session that sanitises (--sanitize, or PARLEY_SANITIZE=1 for new sessions), e-mail "
                        + "addresses, phone numbers, cards, secrets ... reach the model and the store as placeholders such as "
                        + "<EMAIL_1>, and the replies show the originals. They are kept encrypted under PARLEY_MASTER_KEY, or "
                        + "on one machine a key generated next to the store (back it up)."})
final class ChatCommand implements Callable<Integer> {
    /** Where lines are read from; tests replace it. */
    static InputStream stdin = System.in;
    /** Where provider variables are read from; tests replace it. */
    static Map<String, String> environment = System.getenv();
    /** Where a local Ollama is looked for when OLLAMA_HOST is unset; tests replace it. */
    static String localOllama = OllamaChatModel.DEFAULT_BASE_URL;

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Option(names = "--session", paramLabel = "ID", description = "Continue this session (default: start a new one).")
    String sessionId;

    @Option(names = "--provider", paramLabel = "NAME", description = "openai, anthropic, gemini or ollama (default: the first configured).")
    String providerName;

    @Option(names = "--model", paramLabel = "MODEL", description = "The model (default: the provider's, listed below).")
    String model;

    @Option(names = "--system", paramLabel = "TEXT", description = "System prompt of a new session.")
    String system;

    @Option(names = "--user", paramLabel = "USER", description = "The user a new session belongs to.")
    String user;

    @Option(names = "--branch", paramLabel = "NAME", description = "Branch to chat on (default: the session's current one).")
    String branch;

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "all",
            description = "What the model is sent: all, last:N, tokens:MAX[:RESERVE], summary:TRIGGER[:KEEP] "
                    + "(the model summarises what is older than the KEEP most recent messages, default 6, "
                    + "once the context passes TRIGGER tokens). Default ${DEFAULT-VALUE}.")
    String policy;

    @Option(names = "--sanitize", negatable = true, description = "Sanitise personal data and secrets in a new session: the model "
            + "and the store see placeholders, you see the originals (--no-sanitize: don't). Default: PARLEY_SANITIZE (1/0), "
            + "else off. An existing session keeps its own setting.")
    Boolean sanitize;

    @Option(names = "--window", paramLabel = "TOKENS", description = "The model's context window, for models Parley does not know "
            + "(default: Parley's table, else " + Providers.FALLBACK_WINDOW + ").")
    Integer window;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (window != null && window < 1) {
            throw new CliException("--window must be >= 1: " + window);
        }
        if (global.json) {
            throw new CliException("chat has no --json output: stdout carries the replies themselves");
        }
        if (sessionId != null && (system != null || user != null || sanitize != null)) {
            throw new CliException("--system, --user and --sanitize apply to a new session; leave them out with --session");
        }
        BiFunction<ChatModel, String, ContextPolicy> policies = policies(policy);
        Providers providers = new Providers(environment, localOllama, window);
        Optional<Providers.Provider> chosen = providerName != null
                ? Optional.of(Providers.named(providerName)) : providers.firstConfigured();
        if (chosen.isEmpty()) {
            err.println(Providers.HOW_TO_CONFIGURE);
            return ParleyCli.USER_ERROR;
        }
        Providers.Provider provider = chosen.get();
        String startModel = model != null ? model : provider.defaultModel();
        if (branch != null) {
            Names.branch(branch);
        }
        boolean terminal = isTerminal();
        boolean sanitizeByDefault = SessionPrivacy.parseSwitch("PARLEY_SANITIZE", environment.get("PARLEY_SANITIZE"));
        try (ChatLoop loop = new ChatLoop(providers, policies, out, err, terminal)) {
            // the provider is checked before the store is touched, so a misconfiguration leaves no empty session behind
            loop.adopt(provider, providers.open(provider, startModel));
            try (Parley parley = global.open()) {
                Session session = sessionId != null ? parley.open(SessionId.of(sessionId)) : create(parley);
                String on = branch != null ? branch : session.info().currentBranch();
                if (sessionId == null) {
                    err.println("new session " + session.id());
                    if (!on.equals(Names.MAIN)) {
                        session.branch(on);
                        session.checkout(on);
                    }
                }
                session.on(on).head();
                loop.start(session, on, provider, startModel, privacy(session, sanitizeByDefault));
                if (terminal) {
                    err.println("chatting with " + provider.name() + " " + startModel + " on " + on + "; /help for commands, /exit or Ctrl-D to leave");
                }
                return loop.run(new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)));
            }
        }
    }

    private Session create(Parley parley) {
        SessionSpec.Builder request = SessionSpec.builder();
        if (system != null) {
            request.systemPrompt(system);
        }
        if (user != null) {
            request.user(UserId.of(user));
        }
        if (sanitize != null) {
            request.setting(SessionPrivacy.SANITIZE_SETTING, sanitize.toString());
        }
        return parley.create(request.build());
    }

    /**
     * The privacy layer, when this chat can need one: a session that sanitises or holds a vault, or a configured master
     * key. Otherwise none, so a chat that never sanitises does not generate a master key next to the store.
     */
    private PrivacyHook privacy(Session session, boolean sanitizeByDefault) {
        Map<String, String> settings = session.info().settings();
        String configured = environment.get(MasterKeys.VARIABLE);
        boolean needed = sanitizeByDefault || "true".equals(settings.get(SessionPrivacy.SANITIZE_SETTING))
                || settings.containsKey(SessionPrivacy.DATA_KEY_SETTING) || configured != null && !configured.isBlank();
        if (!needed) {
            return PrivacyHook.NONE;
        }
        return SessionPrivacy.builder(MasterKeys.forStore(global.store, configured)).sanitizeByDefault(sanitizeByDefault).build();
    }

    /** The --policy for each model the chat talks to: only a summarising one depends on the model. */
    static BiFunction<ChatModel, String, ContextPolicy> policies(String text) {
        if (!text.matches("(all|last|tokens|summary)(:.*)?")) {
            throw new CliException("unknown policy '" + text + "': use all, last:N, tokens:MAX[:RESERVE] or summary:TRIGGER[:KEEP]");
        }
        if (!text.startsWith("summary")) {
            ContextPolicy fixed = Policies.parse(text);
            return (model, name) -> fixed;
        }
        String[] parts = text.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new CliException("malformed policy '" + text + "': use summary:TRIGGER[:KEEP]");
        }
        int trigger;
        int keep;
        try {
            trigger = Integer.parseInt(parts[1]);
            keep = parts.length == 3 ? Integer.parseInt(parts[2]) : 6;
        } catch (NumberFormatException e) {
            throw new CliException("policy '" + text + "' needs whole numbers: use summary:TRIGGER[:KEEP]");
        }
        if (trigger < 1 || keep < 0) {
            throw new CliException("policy '" + text + "' needs TRIGGER >= 1 and KEEP >= 0");
        }
        return (model, name) -> ContextPolicy.summarising(trigger, keep, ModelSummariser.builder(model).model(name).build());
    }

    /** Whether a person is typing: then, and only then, a prompt is shown. */
    private static boolean isTerminal() {
        Console console = System.console();
        if (stdin != System.in || console == null) {
            return false;
        }
        try {
            // Java 22+ returns a console even when redirected and says whether it is a terminal; Java 21 returns none then
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException java21) {
            return true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot ask the console whether it is a terminal", e);
        }
    }
}

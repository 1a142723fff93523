package dev.parley.cli;

import dev.parley.ParleyException;
import dev.parley.Session;
import dev.parley.context.ContextPolicy;
import dev.parley.context.Quota;
import dev.parley.domain.Checkpoint;
import dev.parley.domain.EntryKind;
import dev.parley.domain.Names;
import dev.parley.models.ChatModel;
import dev.parley.models.chat.Chat;
import dev.parley.models.chat.ModelSummariser;
import dev.parley.models.chat.TurnOptions;
import dev.parley.models.chat.TurnStream;
import dev.parley.spi.PrivacyHook;
import dev.parley.tokens.Calibration;
import dev.parley.tokens.MessageTokens;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * The conversation of {@code parley chat}: each line read is a user turn whose reply is streamed to {@code out},
 * unless it is a slash command ({@code //} starts a message with a slash). A failed turn or command prints one line
 * on {@code err} and the chat goes on.
 */
final class ChatLoop implements AutoCloseable {
    static final String COMMANDS = "/checkpoint NAME, /restore NAME, /branch NAME, /quota, /history, "
            + "/switch PROVIDER [MODEL], /continue, /help, /exit";

    private final Providers providers;
    /** The context policy for a model (a summarising policy summarises with the model the chat talks to). */
    private final BiFunction<ChatModel, String, ContextPolicy> policies;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean prompt;
    private final Map<String, ChatModel> models = new LinkedHashMap<>();
    private final Calibration calibration = new Calibration();

    private Session session;
    private PrivacyHook privacy;
    private String branch;
    private Providers.Provider provider;
    private String model;
    private ContextPolicy policy;
    private Chat chat;
    private boolean failed;

    ChatLoop(Providers providers, BiFunction<ChatModel, String, ContextPolicy> policies, PrintWriter out, PrintWriter err,
             boolean prompt) {
        this.providers = providers;
        this.policies = policies;
        this.out = out;
        this.err = err;
        this.prompt = prompt;
    }

    /** Uses {@code adapter} for {@code provider} from now on, and closes it with the loop. */
    void adopt(Providers.Provider forProvider, ChatModel adapter) {
        models.put(forProvider.name(), adapter);
    }

    /**
     * Chats on {@code onBranch} of {@code chatSession} with {@code startModel} of {@code startProvider}; {@code chatPrivacy}
     * sanitises and restores the turns when the session sanitises.
     */
    void start(Session chatSession, String onBranch, Providers.Provider startProvider, String startModel, PrivacyHook chatPrivacy) {
        this.session = chatSession;
        this.privacy = chatPrivacy;
        this.branch = onBranch;
        use(startProvider, startModel);
    }

    /** Talks to {@code model} of {@code provider} from the next turn on, with the same history. */
    void use(Providers.Provider newProvider, String newModel) {
        ChatModel adapter = models.get(newProvider.name());
        if (adapter == null) {
            adapter = providers.open(newProvider, newModel);
            models.put(newProvider.name(), adapter);
        }
        ContextPolicy newPolicy = policies.apply(adapter, newModel);
        chat = Chat.builder(session).model(newProvider.name(), adapter).defaultModel(newModel).policy(newPolicy)
                .contextWindow(providers.windowOf(newModel)).calibration(calibration).privacy(privacy).build();
        provider = newProvider;
        model = newModel;
        policy = newPolicy;
    }

    /** Reads lines until {@code /exit} or the end of input; returns the exit status (1 if any line failed). */
    int run(BufferedReader in) throws IOException {
        while (true) {
            if (prompt) {
                out.print("> ");
                out.flush();
            }
            String line = in.readLine();
            if (line == null) {
                break;
            }
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            try {
                if (text.startsWith("//")) {
                    turn(text.substring(1));
                } else if (text.startsWith("/")) {
                    if (!command(text)) {
                        break;
                    }
                } else {
                    turn(line);
                }
            } catch (ParleyException | CliException e) {
                failed = true;
                err.println("parley: " + e.getMessage());
            }
        }
        if (prompt) {
            out.println();
        }
        out.flush();
        return failed ? ParleyCli.USER_ERROR : 0;
    }

    private void turn(String text) {
        TurnOptions options = TurnOptions.of(text).branch(branch).provider(provider.name(), model);
        AtomicBoolean streamed = new AtomicBoolean();
        TurnStream stream = chat.stream(options, delta -> {
            streamed.set(true);
            out.print(delta);
            out.flush();
        });
        try {
            stream.await();
        } finally {
            // a reply cut short by an error still ends its line, so the error is not glued to it
            if (streamed.get() || !stream.result().isCompletedExceptionally()) {
                out.println();
                out.flush();
            }
        }
    }

    /** Runs one slash command; false for {@code /exit}. */
    private boolean command(String text) {
        String[] words = text.split("\\s+");
        String name = words[0].toLowerCase(Locale.ROOT);
        Session here = session.on(branch);
        switch (name) {
            case "/exit" -> {
                return false;
            }
            case "/checkpoint" -> {
                Checkpoint c = here.checkpoint(argument(words, "/checkpoint NAME"));
                out.println("checkpoint " + c.name() + " → #" + c.entry());
            }
            case "/restore" -> {
                here.restore(argument(words, "/restore NAME"));
                out.println(branch + " → #" + here.head());
            }
            case "/branch" -> {
                String newBranch = argument(words, "/branch NAME");
                here.branch(newBranch);
                session.checkout(newBranch);
                branch = newBranch;
                out.println("branch " + newBranch + " at #" + session.on(newBranch).head() + "; now on " + newBranch);
            }
            case "/history" -> here.history().stream().filter(e -> e.kind() == EntryKind.MESSAGE).map(Render::line).forEach(out::println);
            case "/quota" -> quota(here);
            case "/switch" -> {
                if (words.length < 2 || words.length > 3) {
                    throw new CliException("usage: /switch PROVIDER [MODEL]");
                }
                Providers.Provider next = Providers.named(words[1].toLowerCase(Locale.ROOT));
                use(next, words.length == 3 ? words[2] : next.defaultModel());
                out.println("now " + provider.name() + " " + model);
            }
            case "/continue" -> continueInNewSession(here);
            case "/help" -> out.println("commands: " + COMMANDS);
            default -> throw new CliException("unknown command " + words[0] + "; commands: " + COMMANDS);
        }
        out.flush();
        return true;
    }

    private static String argument(String[] words, String usage) {
        if (words.length != 2) {
            throw new CliException("usage: " + usage);
        }
        return words[1];
    }

    private void quota(Session here) {
        Quota quota = here.quota().model(model).contextWindow(providers.windowOf(model)).policy(policy)
                .tokens(MessageTokens.forModel(model, calibration)).build();
        int usage = quota.contextUsage();
        out.printf(Locale.ROOT, "context     %d of %d tokens (%.1f%%), level %s (%s %s)%n", usage, quota.contextWindow(),
                100.0 * usage / quota.contextWindow(), quota.level(), provider.name(), model);
        out.printf(Locale.ROOT, "budget      %d tokens used by this session, %d by its user%n",
                here.budget().usedBySession(), here.budget().usedByUser());
    }

    private void continueInNewSession(Session here) {
        ModelSummariser summariser = ModelSummariser.builder(models.get(provider.name())).model(model).build();
        Session continued = here.summarizeAndContinue(summariser);
        out.println("continued in session " + continued.id() + " (from " + session.id() + ")");
        session = continued;
        branch = Names.MAIN;
        use(provider, model);
    }

    @Override
    public void close() {
        models.values().forEach(ChatModel::close);
    }
}

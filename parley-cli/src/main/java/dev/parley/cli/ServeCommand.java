package dev.parley.cli;

import dev.parley.json.ParleyJson;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code parley serve}: runs the REST API until the process is stopped (Ctrl-C or SIGTERM stop it gracefully: requests
 * in flight finish). With no configuration it serves the SQLite store in ./parley-data on 127.0.0.1:8080, and on the
 * first start creates an admin API key that it prints once.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, modelTransformer = ServeCommand.SettingsFooter.class,
        description = {"Run the Parley REST API server.",
                "Settings come from (lowest first) defaults, --config FILE, PARLEY_* environment variables, flags."})
final class ServeCommand implements Callable<Integer> {
    /** Told about each server once it is listening; tests use it to stop the server they started. */
    static Consumer<ParleyServer> started = server -> { };

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port (default 8080; 0 picks a free one). Also PARLEY_PORT.")
    Integer port;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on (default 127.0.0.1). Also PARLEY_HOST.")
    String host;

    @Option(names = "--api-key", paramLabel = "KEY", description = "An admin API key to accept (16-256 characters of "
            + "[A-Za-z0-9_-]); only its hash is stored. Also PARLEY_API_KEY.")
    String apiKey;

    @Option(names = "--upstream", paramLabel = "PROVIDER", description = "The provider behind the OpenAI-compatible gateway "
            + "(/v1/chat/completions): openai, anthropic, gemini or ollama, configured by its own variables (OPENAI_API_KEY "
            + "...). Also PARLEY_UPSTREAM.")
    String upstream;

    @Option(names = "--upstream-url", paramLabel = "URL", description = "Where that provider is, instead of its variable "
            + "(OPENAI_BASE_URL ...), e.g. http://localhost:8000/v1 for a vLLM server. Also PARLEY_UPSTREAM_URL.")
    String upstreamUrl;

    @Option(names = "--sanitize", description = "Sanitise personal data and secrets in every session that does not say "
            + "otherwise. Also PARLEY_SANITIZE=1.")
    boolean sanitize;

    @Option(names = "--config", paramLabel = "FILE", description = "A key=value file of settings (see below).")
    Path config;

    @Option(names = "--set", paramLabel = "SETTING=VALUE", description = "Any setting below, e.g. --set rateLimit=50 (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        Map<String, String> flags = new LinkedHashMap<>(settings);
        if (parsed.hasMatchedOption("--store")) {
            flags.put("store", global.store);
        }
        if (parsed.hasMatchedOption("--tenant")) {
            flags.put("tenant", global.tenant);
        }
        if (port != null) {
            flags.put("port", Integer.toString(port));
        }
        if (host != null) {
            flags.put("host", host);
        }
        if (apiKey != null) {
            flags.put("apiKey", apiKey);
        }
        if (upstream != null) {
            flags.put("upstream", upstream);
        }
        if (upstreamUrl != null) {
            flags.put("upstreamUrl", upstreamUrl);
        }
        if (sanitize) {
            flags.put("sanitize", "true");
        }
        ServerConfig loaded = ServerConfig.load(config, System.getenv(), flags);
        ParleyServer server = ParleyServer.builder().config(loaded).start();
        AtomicBoolean stoppedByHook = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stoppedByHook.set(true);
            server.close();
        }, "parley-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        announce(server, loaded);
        started.accept(server);
        server.awaitShutdown();
        if (!stoppedByHook.get()) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return 0;
    }

    private void announce(ParleyServer server, ServerConfig loaded) {
        PrintWriter out = spec.commandLine().getOut();
        if (global.json) {
            ObjectNode node = ParleyJson.object().put("url", server.url()).put("store", loaded.store());
            server.createdAdminKey().ifPresent(key -> node.put("adminKey", key).put("tenant", loaded.tenant().value()));
            out.println(ParleyJson.write(node));
            return;
        }
        out.println("Parley is listening on " + server.url() + " (store " + loaded.store() + ")");
        server.createdAdminKey().ifPresent(key -> {
            out.println();
            out.println("Created the first admin API key (tenant " + loaded.tenant() + "). It is shown only this once;");
            out.println("only its hash is stored. Keep it somewhere safe:");
            out.println();
            out.println("    " + key);
            out.println();
            out.println("Try it:  curl -H \"Authorization: Bearer " + key + "\" " + server.url() + "/v1/sessions");
        });
        out.println("Stop with Ctrl-C (requests in flight finish first).");
        out.flush();
    }

    /** Lists every setting, its environment variable and default under the usage, from the settings themselves. */
    static final class SettingsFooter implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            List<String> lines = new ArrayList<>();
            lines.add("%nSettings (--config file key / environment variable: meaning, default):");
            for (ServerConfig.Setting s : ServerConfig.Setting.values()) {
                lines.add("  " + s.key() + " / " + s.env() + ": " + s.description().replace("%", "%%")
                        + (s.defaultValue().isEmpty() ? "" : " (default " + s.defaultValue() + ")"));
            }
            command.usageMessage().footer(lines.toArray(String[]::new));
            return command;
        }
    }
}

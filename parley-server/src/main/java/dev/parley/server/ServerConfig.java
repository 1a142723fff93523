package dev.parley.server;

import dev.parley.InvalidInputException;
import dev.parley.domain.TenantId;
import dev.parley.privacy.SessionPrivacy;
import dev.parley.security.KeyException;
import dev.parley.security.MasterKeys;
import dev.parley.store.SessionStores;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * How a {@link ParleyServer} runs. Every {@link Setting} has a documented default and is read, lowest
 * precedence first, from: the defaults, an optional {@code key=value} file, the environment
 * ({@code PARLEY_<SETTING>}, e.g. {@code PARLEY_PORT}) and explicit overrides (command-line flags, by setting key).
 * Values are checked when loaded; a bad one is an error naming the setting, where it came from, and the rule.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.load(Path.of("parley.conf"), System.getenv(), Map.of("port", "9090"));
 * }</pre>
 */
public final class ServerConfig {

    /** The settings, with their file keys, environment variables, defaults and meaning. */
    public enum Setting {
        HOST("host", "127.0.0.1", "Address to listen on (0.0.0.0 for every interface)", v -> requireText(v)),
        PORT("port", "8080", "TCP port to listen on; 0 picks a free one", v -> integer(v, 0, 65535)),
        STORE("store", SessionStores.DEFAULT_LOCATION, "Where sessions live: sqlite:PATH, jsonl:DIR, memory:, postgres://…, redis://…",
                v -> requireText(v)),
        DATA_DIR("dataDir", "", "Directory for files the server generates (the session-token secret); default: the store's directory",
                v -> { }),
        API_KEY("apiKey", "", "An admin API key to accept (registered at start, only its hash is stored): 16-256 characters of "
                + "[A-Za-z0-9_-]", v -> {
                    if (!v.isEmpty() && !v.matches("[A-Za-z0-9_-]{16,256}")) {
                        throw new IllegalArgumentException("must be 16-256 characters of [A-Za-z0-9_-]");
                    }
                }),
        API_KEY_CACHE("apiKeyCache", "2", "Seconds a server remembers an API key it accepted, instead of reading the store on "
                + "every request: a key revoked on another server or by parley keys revoke is still accepted here for at most "
                + "this long (one revoked through this server is refused at once); 0 checks the store on every request",
                v -> integer(v, 0, 3600)),
        TENANT("tenant", TenantId.DEFAULT.value(), "Tenant of the admin key given by apiKey or created on first start",
                v -> TenantId.of(v)),
        TOKEN_SECRET("tokenSecret", "", "Secrets signing session tokens, [ID:]SECRET[,[ID:]SECRET…] primary first; default: "
                + "generated into dataDir (required on a shared store)", v -> { }),
        TOKEN_MAX_TTL("tokenMaxTtl", "86400", "Longest lifetime of a session token, in seconds", v -> integer(v, 1, 31_536_000)),
        MAX_BODY_BYTES("maxBodyBytes", "1048576", "Largest request body in bytes; a larger one is refused with 413",
                v -> integer(v, 1024, Integer.MAX_VALUE)),
        RATE_LIMIT("rateLimit", "20", "Requests per second each API key may make, sustained; 0 turns rate limits off",
                v -> decimal(v, 0, 1_000_000)),
        RATE_BURST("rateBurst", "40", "Requests an API key may make at once before rateLimit applies", v -> integer(v, 1, 1_000_000)),
        SWEEP_INTERVAL("sweepInterval", "60", "Seconds between sweeps deleting expired sessions; 0 turns the sweeper off",
                v -> integer(v, 0, 86_400)),
        SWEEP_BATCH("sweepBatch", "500", "Expired sessions deleted per sweep batch", v -> integer(v, 1, 100_000)),
        SHUTDOWN_GRACE("shutdownGrace", "30", "Seconds requests in flight get to finish when the server stops",
                v -> integer(v, 0, 3600)),
        PROVIDERS("providers", "", "Model providers for /chat, comma-separated (openai, anthropic, gemini, ollama); default: "
                + "those whose API key is in the environment, and ollama when OLLAMA_HOST is set", v -> {
                    for (String p : v.split(",")) {
                        if (!p.isBlank() && !List.of("openai", "anthropic", "gemini", "ollama").contains(p.strip())) {
                            throw new IllegalArgumentException("knows openai, anthropic, gemini, ollama, not '" + p.strip() + "'");
                        }
                    }
                }),
        PROVIDER("provider", "", "Default provider for /chat; default: the first of providers", v -> { }),
        MODEL("model", "", "Model /chat uses when neither the request nor the session names one; default: the provider's own", v -> { }),
        ADMISSION("admission", "reject", "What a chat or gateway turn does when another write moved its branch after the turn read it: "
                + "reject (409), queue, branch", v -> {
                    if (!List.of("reject", "queue", "branch").contains(v)) {
                        throw new IllegalArgumentException("must be reject, queue or branch");
                    }
                }),
        CONTEXT_WINDOW("contextWindow", "128000", "Context window, in tokens, assumed for models Parley's table does not know",
                v -> integer(v, 256, 100_000_000)),
        UPSTREAM("upstream", "", "Provider behind the OpenAI-compatible gateway (/v1/chat/completions): openai, anthropic, gemini, "
                + "ollama; configured from its own variables (OPENAI_API_KEY …); default: the default provider",
                v -> {
                    if (!v.isEmpty() && !List.of("openai", "anthropic", "gemini", "ollama").contains(v)) {
                        throw new IllegalArgumentException("must be openai, anthropic, gemini or ollama");
                    }
                }),
        GATEWAY_IDLE_TTL("gatewayIdleTtl", "0", "Seconds without a write after which a session the gateway created on first use "
                + "expires (swept like any expired session); 0: such sessions never expire", v -> integer(v, 0, 3_153_600_000L)),
        UPSTREAM_URL("upstreamUrl", "", "Base URL of the upstream provider, instead of its variable (OPENAI_BASE_URL, ANTHROPIC_BASE_URL, "
                + "GEMINI_BASE_URL, OLLAMA_HOST); /chat uses the same endpoint. An OpenAI-compatible server there (vLLM, LM "
                + "Studio …) needs no OPENAI_API_KEY", v -> {
                    if (!v.isEmpty() && !v.matches("https?://[^\\s]+")) {
                        throw new IllegalArgumentException("must be an http:// or https:// URL");
                    }
                }),
        SANITIZE("sanitize", "false", "Whether sessions that do not say otherwise sanitise personal data and secrets before the model "
                + "and the store see them: true/false (also 1/0, yes/no, on/off)", v -> {
                    try {
                        SessionPrivacy.parseSwitch("sanitize", v);
                    } catch (InvalidInputException e) {
                        throw new IllegalArgumentException("must be true or false (or 1/0, yes/no, on/off)", e);
                    }
                }),
        MASTER_KEY("masterKey", "", "Master key of the vaults, [ID:]KEY[,[ID:]KEY…] primary first, each KEY 64 hex digits or base64 "
                + "of 32 bytes; default: generated into dataDir (required on a shared store)", v -> {
                    if (!v.isEmpty()) {
                        try {
                            MasterKeys.fromConfiguration(v);
                        } catch (KeyException e) {
                            throw new IllegalArgumentException("is not a valid key ring: " + e.getMessage(), e);
                        }
                    }
                }),
        ACCESS_LOG("accessLog", "true", "Log one line per request (never message contents or keys)", v -> bool(v));

        private final String key;
        private final String defaultValue;
        private final String description;
        private final Consumer<String> check;

        Setting(String key, String defaultValue, String description, Consumer<String> check) {
            this.key = key;
            this.defaultValue = defaultValue;
            this.description = description;
            this.check = check;
        }

        /** The name in a configuration file and in overrides, e.g. {@code maxBodyBytes}. */
        public String key() {
            return key;
        }

        /** The environment variable, e.g. {@code PARLEY_MAX_BODY_BYTES}. */
        public String env() {
            return "PARLEY_" + name();
        }

        /** The default ({@code ""}: unset, the description says what happens then). */
        public String defaultValue() {
            return defaultValue;
        }

        public String description() {
            return description;
        }

        /** Whether the value is a secret, never shown in errors or in {@link ServerConfig#toString()}. */
        boolean secret() {
            return this == API_KEY || this == TOKEN_SECRET || this == MASTER_KEY;
        }

        static Optional<Setting> byKey(String key) {
            for (Setting s : values()) {
                if (s.key.equals(key)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    private final Map<Setting, String> values;

    private ServerConfig(Map<Setting, String> values) {
        this.values = values;
    }

    /** Every setting at its default. */
    public static ServerConfig defaults() {
        return load(null, Map.of(), Map.of());
    }

    /**
     * Reads the settings: defaults, then {@code file} (optional; {@code key=value} lines, {@code #} comments),
     * then the {@code PARLEY_*} variables of {@code environment}, then {@code overrides} (by setting key).
     * An unknown key in the file or the overrides, or an invalid value anywhere, is an error naming it.
     */
    public static ServerConfig load(Path file, Map<String, String> environment, Map<String, String> overrides) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            values.put(s, s.defaultValue);
        }
        if (file != null) {
            readFile(file).forEach((key, value) -> {
                Setting setting = known(key, "in " + file);
                values.put(setting, check(setting, value, "in " + file));
            });
        }
        for (Setting s : Setting.values()) {
            String value = environment.get(s.env());
            if (value != null) {
                values.put(s, check(s, value.strip(), "in the environment (" + s.env() + ")"));
            }
        }
        overrides.forEach((key, value) -> {
            Setting setting = known(key, "given");
            values.put(setting, check(setting, value, "given on the command line"));
        });
        return new ServerConfig(values);
    }

    private static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new InvalidInputException("config", "cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, properties.getProperty(k).strip()));
        return out;
    }

    private static Setting known(String key, String where) {
        return Setting.byKey(key).orElseThrow(() -> {
            List<String> keys = new ArrayList<>();
            for (Setting s : Setting.values()) {
                keys.add(s.key);
            }
            return new InvalidInputException("config", "unknown setting '" + key + "' " + where + "; known settings: "
                    + String.join(", ", keys));
        });
    }

    private static String check(Setting setting, String value, String where) {
        try {
            setting.check.accept(value);
            return value;
        } catch (IllegalArgumentException e) {
            String shown = setting.secret() ? "(hidden)" : "'" + value + "'";
            throw new InvalidInputException(setting.key, "setting " + setting.key + " " + where + " " + e.getMessage()
                    + ": " + shown);
        }
    }

    private static void requireText(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
    }

    private static void integer(String value, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
    }

    private static void decimal(String value, double min, double max) {
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
    }

    private static void bool(String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("must be true or false");
        }
    }

    /** The raw value of a setting ({@code ""} when unset). */
    public String get(Setting setting) {
        return values.get(setting);
    }

    private Optional<String> optional(Setting setting) {
        String value = values.get(setting);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public String host() {
        return get(Setting.HOST);
    }

    public int port() {
        return Integer.parseInt(get(Setting.PORT));
    }

    public String store() {
        return get(Setting.STORE);
    }

    public Optional<Path> dataDir() {
        return optional(Setting.DATA_DIR).map(Path::of);
    }

    public Optional<String> apiKey() {
        return optional(Setting.API_KEY);
    }

    public TenantId tenant() {
        return TenantId.of(get(Setting.TENANT));
    }

    public Optional<String> tokenSecret() {
        return optional(Setting.TOKEN_SECRET);
    }

    public Duration tokenMaxTtl() {
        return Duration.ofSeconds(Long.parseLong(get(Setting.TOKEN_MAX_TTL)));
    }

    public long maxBodyBytes() {
        return Long.parseLong(get(Setting.MAX_BODY_BYTES));
    }

    public double rateLimit() {
        return Double.parseDouble(get(Setting.RATE_LIMIT));
    }

    public int rateBurst() {
        return Integer.parseInt(get(Setting.RATE_BURST));
    }

    /** How long an accepted API key is remembered; zero: checked against the store on every request. */
    public Duration apiKeyCache() {
        return Duration.ofSeconds(Long.parseLong(get(Setting.API_KEY_CACHE)));
    }

    public Duration sweepInterval() {
        return Duration.ofSeconds(Long.parseLong(get(Setting.SWEEP_INTERVAL)));
    }

    public int sweepBatch() {
        return Integer.parseInt(get(Setting.SWEEP_BATCH));
    }

    public Duration shutdownGrace() {
        return Duration.ofSeconds(Long.parseLong(get(Setting.SHUTDOWN_GRACE)));
    }

    /** The providers named by the configuration; empty means "detect from the environment". */
    public List<String> providers() {
        List<String> out = new ArrayList<>();
        for (String p : get(Setting.PROVIDERS).split(",")) {
            if (!p.isBlank()) {
                out.add(p.strip());
            }
        }
        return out;
    }

    public Optional<String> provider() {
        return optional(Setting.PROVIDER);
    }

    public Optional<String> model() {
        return optional(Setting.MODEL);
    }

    public String admission() {
        return get(Setting.ADMISSION);
    }

    public int contextWindow() {
        return Integer.parseInt(get(Setting.CONTEXT_WINDOW));
    }

    /** The provider behind the gateway, when configured (else the default provider). */
    public Optional<String> upstream() {
        return optional(Setting.UPSTREAM);
    }

    /** The idle lifetime of sessions the gateway creates on first use; empty: they never expire. */
    public Optional<Duration> gatewayIdleTtl() {
        long seconds = Long.parseLong(get(Setting.GATEWAY_IDLE_TTL));
        return seconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    }

    public Optional<String> upstreamUrl() {
        return optional(Setting.UPSTREAM_URL);
    }

    /** Whether sessions without their own {@code sanitize} setting sanitise. */
    public boolean sanitize() {
        return SessionPrivacy.parseSwitch("sanitize", get(Setting.SANITIZE));
    }

    public Optional<String> masterKey() {
        return optional(Setting.MASTER_KEY);
    }

    public boolean accessLog() {
        return Boolean.parseBoolean(get(Setting.ACCESS_LOG));
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("ServerConfig[");
        for (Setting s : Setting.values()) {
            String value = values.get(s);
            out.append(s.key).append('=').append(s.secret() && !value.isEmpty() ? "(hidden)" : value);
            out.append(s.ordinal() + 1 < Setting.values().length ? ", " : "]");
        }
        return out.toString();
    }
}

package dev.parley.cli;

import dev.parley.ParleyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code parley} command. A user mistake prints one line on stderr and exits non-zero; a stack
 * trace is shown only with {@code PARLEY_DEBUG=1}.
 */
@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = ParleyCli.Version.class,
        description = "Durable, branchable sessions for LLM applications.",
        subcommands = {SessionsCommand.class, ServeCommand.class, KeysCommand.class, ChatCommand.class, GcCommand.class, MigrateCommand.class, PiiCommand.class, CommandLine.HelpCommand.class})
public final class ParleyCli {

    /** Exit status of a user mistake reported by Parley (not found, conflict, invalid input …). */
    static final int USER_ERROR = 1;
    /** Exit status of a command line picocli could not parse. */
    static final int USAGE_ERROR = 2;
    /** Exit status of a failure of the store or the program itself. */
    static final int FAILURE = 3;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given streams; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println("parley: " + e.getMessage());
            err.println("Try 'parley " + commandPath(e.getCommandLine()) + " --help' for usage.");
            return USAGE_ERROR;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean debug = "1".equals(System.getenv("PARLEY_DEBUG"));
            if (e instanceof ParleyException || e instanceof CliException) {
                err.println("parley: " + e.getMessage());
                if (debug) {
                    e.printStackTrace(err);
                }
                return e instanceof dev.parley.StoreException ? FAILURE : USER_ERROR;
            }
            err.println("parley: internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (debug ? "" : " (set PARLEY_DEBUG=1 for details)"));
            if (debug) {
                e.printStackTrace(err);
            }
            return FAILURE;
        });
        return cli.execute(args);
    }

    private static String commandPath(CommandLine commandLine) {
        String qualified = commandLine.getCommandSpec().qualifiedName(" ");
        return qualified.startsWith("parley ") ? qualified.substring(7) : "";
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ParleyCli.class.getPackage().getImplementationVersion();
            return new String[]{"parley " + (version == null ? "development build" : version)};
        }
    }
}

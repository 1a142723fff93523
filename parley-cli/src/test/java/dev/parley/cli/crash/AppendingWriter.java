package dev.parley.cli.crash;

import dev.parley.Parley;
import dev.parley.Session;
import dev.parley.SessionSpec;
import dev.parley.domain.Entry;
import dev.parley.domain.Message;
import dev.parley.domain.SessionId;
import dev.parley.store.SessionStores;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The writer a crash test kills: appends to a few sessions from several threads as fast as the store
 * takes it, and prints {@code ack <session> <branch> <seq> <text>} only after the append returned,
 * that is after the store promised it is durable. Runs until it is killed.
 *
 * <pre>java dev.parley.cli.crash.AppendingWriter STORE ROUND SESSIONS THREADS</pre>
 *
 * Sessions are {@code crash-0 … crash-(SESSIONS-1)}, each with branches {@code main} and {@code side}
 * (started together at the system prompt), so the history is a tree; a later round continues them.
 */
public final class AppendingWriter {
    static final String SYSTEM_PROMPT = "crash test";
    static final List<String> BRANCHES = List.of("main", "side");

    private AppendingWriter() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: AppendingWriter STORE ROUND SESSIONS THREADS");
            System.exit(2);
        }
        String location = args[0];
        int round = Integer.parseInt(args[1]);
        int sessions = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        // One flush per line, each line a single write(2) well under PIPE_BUF: a reader never sees half an ack.
        PrintStream acks = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        Parley parley = Parley.builder().store(SessionStores.open(location, Clock.systemUTC())).build();
        List<SessionId> ids = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            ids.add(openOrCreate(parley, SessionId.of("crash-" + i)));
        }
        // A writer that fails stops the whole program, so the test sees the failure instead of waiting for acks.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            System.err.println(thread.getName() + " failed:");
            e.printStackTrace();
            System.exit(1);
        });
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(Thread.ofPlatform().name("writer-" + t).start(() -> append(parley, ids, round, thread, acks)));
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }

    private static SessionId openOrCreate(Parley parley, SessionId id) {
        if (!parley.exists(id)) {
            parley.create(SessionSpec.builder().id(id).user("writer").systemPrompt(SYSTEM_PROMPT).build());
        }
        Session session = parley.open(id);
        if (session.branches().stream().noneMatch(b -> b.name().equals(BRANCHES.get(1)))) {
            session.on(BRANCHES.get(0)).branch(BRANCHES.get(1));
        }
        return id;
    }

    /** Thread t cycles over every session, alternating branches, so each session gets concurrent appends on both. */
    private static void append(Parley parley, List<SessionId> ids, int round, int thread, PrintStream acks) {
        List<Session> sessions = new ArrayList<>();
        for (SessionId id : ids) {
            for (String branch : BRANCHES) {
                sessions.add(parley.open(id).on(branch));
            }
        }
        for (long n = 0; ; n++) {
            Session session = sessions.get((int) ((n + thread) % sessions.size()));
            String text = text(round, thread, n);
            Entry entry = session.add(Message.user(text));
            String line = "ack " + session.id() + " " + session.branchName() + " " + entry.seq() + " " + text + "\n";
            synchronized (acks) {
                acks.print(line);
                acks.flush();
            }
        }
    }

    static String text(int round, int thread, long n) {
        return "r" + round + "-t" + thread + "-n" + n;
    }
}

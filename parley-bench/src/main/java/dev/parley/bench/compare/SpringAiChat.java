package dev.parley.bench.compare;

import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.memory.repository.jdbc.JdbcChatMemoryRepository;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Spring AI's {@code MessageWindowChatMemory} over its {@code JdbcChatMemoryRepository}, the pairing
 * its reference documentation configures for JDBC. {@code add(id, List.of(user, reply))} reads the whole
 * conversation, trims it to the window, deletes every row of it and inserts it again in one
 * transaction; {@code get(id)} reads every row (the API has no "last N", so the last 20 are cut
 * from the whole conversation here, which is the peer's cost).
 *
 * <p>Two modes: {@code full} sets {@code maxMessages(Integer.MAX_VALUE)} so that nothing is evicted
 * (a user who wants the history kept); {@code win20} keeps the builder's default window of 20 messages
 * and so deletes everything older from the table.
 */
final class SpringAiChat implements ChatSystem {
    /** Where Spring AI ships its schema scripts, one per database ({@code schema-<name>.sql}). */
    private static final String SCHEMA_SCRIPTS = "org/springframework/ai/chat/memory/repository/jdbc/schema-%s.sql";
    private static final String INSERT = "INSERT INTO SPRING_AI_CHAT_MEMORY (conversation_id, content, type, \"timestamp\", sequence_id)"
            + " VALUES (?, ?, ?, ?, ?)";

    private final boolean full;
    private final String storage;
    private final ChatMemory memory;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    /**
     * @param script  which of Spring AI's schema scripts creates its table: {@code sqlite} or {@code postgresql}
     * @param storage what {@code dataSource} is, for the configuration line
     */
    SpringAiChat(DataSource dataSource, String script, boolean full, String storage) {
        new ResourceDatabasePopulator(new ClassPathResource(SCHEMA_SCRIPTS.formatted(script))).execute(dataSource);
        this.full = full;
        this.storage = storage;
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        // The dialect is detected from the DataSource, as the repository's builder does by default.
        JdbcChatMemoryRepository repository = JdbcChatMemoryRepository.builder().jdbcTemplate(jdbc).build();
        MessageWindowChatMemory.Builder builder = MessageWindowChatMemory.builder().chatMemoryRepository(repository);
        if (full) {
            builder.maxMessages(Integer.MAX_VALUE);
        }
        this.memory = builder.build();
    }

    @Override
    public String name() {
        return full ? "spring-ai full" : "spring-ai win20";
    }

    @Override
    public String configuration() {
        return "Spring AI " + Versions.SPRING_AI + ": `MessageWindowChatMemory` ("
                + (full ? "`maxMessages(Integer.MAX_VALUE)`: keeps everything" : "default `maxMessages` 20: deletes older messages")
                + ") over `JdbcChatMemoryRepository` (dialect detected from the DataSource, table from Spring AI's schema script); "
                + "append = `add(id, List.of(user, assistant))`, read = `get(id)` then the last 20; " + storage;
    }

    @Override
    public boolean isParley() {
        return false;
    }

    @Override
    public int window() {
        return full ? EVERYTHING : 20;
    }

    /** Rows as the repository writes them: {@code sequence_id} is the position, the timestamp the message's time. */
    @Override
    public void seed(String conversation, int length) {
        int first = Workload.firstKept(length, window());
        Instant start = Instant.now().minusSeconds(length);
        transactions.executeWithoutResult(status -> {
            List<Object[]> rows = new ArrayList<>(length - first);
            for (int i = first; i < length; i++) {
                rows.add(new Object[] {conversation, Workload.text(i), Workload.isUser(i) ? "USER" : "ASSISTANT",
                        Timestamp.from(start.plusMillis(i)), (long) (i - first)});
            }
            jdbc.batchUpdate(INSERT, rows);
        });
    }

    @Override
    public void appendTurn(String conversation, int turn) {
        memory.add(conversation, List.of(new UserMessage(Workload.user(turn)), new AssistantMessage(Workload.assistant(turn))));
    }

    @Override
    public int readLastTwenty(String conversation) {
        List<Message> all = memory.get(conversation);
        return all.subList(Math.max(0, all.size() - Workload.LAST), all.size()).size();
    }

    @Override
    public int visible(String conversation) {
        return memory.get(conversation).size();
    }

    @Override
    public int held(String conversation) {
        Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM SPRING_AI_CHAT_MEMORY WHERE conversation_id = ?", Integer.class,
                conversation);
        return rows == null ? 0 : rows;
    }

    /** The backend owns the DataSource. */
    @Override
    public void close() {
        // nothing of its own to release
    }
}

package dev.parley.bench.compare;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A LangChain4j {@code ChatMemoryStore} on a SQL database, written as LangChain4j's chat-memory
 * documentation instructs a persistent store to be: the memory's messages serialised with
 * {@code ChatMessageSerializer.messagesToJson} into one document per memory id, replaced whole in
 * {@code updateMessages} (an upsert), deleted in {@code deleteMessages}. LangChain4j ships no JDBC
 * store; this is the one its users write. The upsert syntax is shared by PostgreSQL and SQLite.
 */
final class DocumentChatMemoryStore implements ChatMemoryStore {
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final DataSource dataSource;
    private final String select;
    private final String upsert;
    private final String delete;

    private DocumentChatMemoryStore(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.select = "SELECT messages FROM " + table + " WHERE memory_id = ?";
        this.upsert = "INSERT INTO " + table + " (memory_id, messages) VALUES (?, ?)"
                + " ON CONFLICT (memory_id) DO UPDATE SET messages = excluded.messages";
        this.delete = "DELETE FROM " + table + " WHERE memory_id = ?";
    }

    /** Creates {@code table} if it is missing and returns a store on it. */
    static DocumentChatMemoryStore create(DataSource dataSource, String table) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("table name must match " + TABLE + ": " + table);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (memory_id VARCHAR(255) PRIMARY KEY, messages TEXT NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create table " + table + ": " + e.getMessage(), e);
        }
        return new DocumentChatMemoryStore(dataSource, table);
    }

    @Override
    public List<ChatMessage> getMessages(Object memoryId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(select)) {
            s.setString(1, memoryId.toString());
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? ChatMessageDeserializer.messagesFromJson(rows.getString(1)) : new ArrayList<>();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read chat memory " + memoryId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void updateMessages(Object memoryId, List<ChatMessage> messages) {
        String json = ChatMessageSerializer.messagesToJson(messages);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(upsert)) {
            s.setString(1, memoryId.toString());
            s.setString(2, json);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write chat memory " + memoryId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteMessages(Object memoryId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(delete)) {
            s.setString(1, memoryId.toString());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete chat memory " + memoryId + ": " + e.getMessage(), e);
        }
    }
}

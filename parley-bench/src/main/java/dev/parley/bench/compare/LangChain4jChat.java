package dev.parley.bench.compare;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * LangChain4j's {@code MessageWindowChatMemory} over a persistent {@code ChatMemoryStore}, one memory
 * object per conversation as its {@code ChatMemoryProvider} would keep them. {@code add(message)} reads
 * the whole memory from the store, trims it to the window and writes the whole list back
 * ({@code updateMessages}); a turn is two such adds. {@code messages()} reads the whole memory; the last
 * 20 are cut from it here.
 *
 * <p>Two modes: {@code full} with {@code maxMessages(Integer.MAX_VALUE)} (nothing evicted, the
 * conversation kept), {@code win20} with {@code maxMessages(20)}, which drops older messages from the store.
 */
final class LangChain4jChat implements ChatSystem {
    private final ChatMemoryStore store;
    private final boolean full;
    private final String storage;
    private final Map<String, ChatMemory> memories = new HashMap<>();

    LangChain4jChat(ChatMemoryStore store, boolean full, String storage) {
        this.store = store;
        this.full = full;
        this.storage = storage;
    }

    @Override
    public String name() {
        return full ? "langchain4j full" : "langchain4j win20";
    }

    @Override
    public String configuration() {
        return "LangChain4j " + Versions.LANGCHAIN4J + ": `MessageWindowChatMemory` with `maxMessages("
                + (full ? "Integer.MAX_VALUE)` (keeps everything)" : "20)` (deletes older messages)")
                + ", one per conversation; append = `add(user)` then `add(assistant)`, read = `messages()` then the last 20; "
                + storage;
    }

    @Override
    public boolean isParley() {
        return false;
    }

    @Override
    public int window() {
        return full ? EVERYTHING : 20;
    }

    /** One {@code updateMessages} with the list: the store's own format (one JSON document). */
    @Override
    public void seed(String conversation, int length) {
        List<ChatMessage> messages = new ArrayList<>(length);
        for (int i = Workload.firstKept(length, window()); i < length; i++) {
            messages.add(Workload.isUser(i) ? UserMessage.from(Workload.text(i)) : AiMessage.from(Workload.text(i)));
        }
        store.updateMessages(conversation, messages);
    }

    @Override
    public void appendTurn(String conversation, int turn) {
        ChatMemory memory = memory(conversation);
        memory.add(UserMessage.from(Workload.user(turn)));
        memory.add(AiMessage.from(Workload.assistant(turn)));
    }

    @Override
    public int readLastTwenty(String conversation) {
        List<ChatMessage> all = memory(conversation).messages();
        return all.subList(Math.max(0, all.size() - Workload.LAST), all.size()).size();
    }

    @Override
    public int visible(String conversation) {
        return memory(conversation).messages().size();
    }

    @Override
    public int held(String conversation) {
        return store.getMessages(conversation).size();
    }

    private ChatMemory memory(String conversation) {
        return memories.computeIfAbsent(conversation, id -> MessageWindowChatMemory.builder()
                .id(id).maxMessages(window()).chatMemoryStore(store).build());
    }

    /** The backend owns the store's connections. */
    @Override
    public void close() {
        memories.clear();
    }
}

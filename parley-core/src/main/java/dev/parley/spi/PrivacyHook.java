package dev.parley.spi;

import dev.parley.Session;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.SessionInfo;
import dev.parley.store.VaultRow;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where the privacy layer ({@code parley-privacy}) plugs into a chat turn ({@code parley-models}): the model and the store see sanitised messages,
 * the caller sees originals, tools get originals and their results are sanitised again, and the
 * placeholders issued during the turn are written with the turn's append.
 */
public interface PrivacyHook {

    /** Starts the privacy scope of one turn of {@code session}. */
    Turn start(Session session);

    /**
     * {@link #start(Session)} for a turn that has just read the session's row ({@code known}): a hook may use it
     * to skip reads it would otherwise make. By default the row is read again.
     */
    default Turn start(Session session, SessionInfo known) {
        return start(session);
    }

    /** One turn's privacy scope. */
    interface Turn {
        /** What the model and the store see of a message (user input, tool results). */
        Message sanitise(Message message);

        /** What the caller sees of a message the model wrote. */
        Message restore(Message message);

        /** Restores streamed text on its way to {@code downstream}; {@link StreamingText#finish()} flushes any held-back tail. */
        StreamingText restoreStream(Consumer<String> downstream);

        /** The arguments a tool runs with: the model wrote placeholders, the tool needs the originals. */
        String toolArguments(Part.ToolCall call);

        /** What the model sees of a tool's result: sanitised like user input. */
        Part.ToolResult toolResult(Part.ToolCall call, Part.ToolResult result);

        /** Vault rows issued during this turn, to be written in the same transaction as the turn's append. */
        List<VaultRow> newVaultRows();

        /**
         * Re-expresses the turn's {@code messages} after its append failed with a vault conflict (another turn of the
         * session issued one of this turn's placeholders, or a placeholder for one of its values, first): reloads the
         * session's vault and maps this turn's new placeholders onto it, without calling the model again. Returns the
         * messages to append instead; {@link #newVaultRows()} then returns the rows they need, and {@link #restore}
         * works on the returned messages.
         */
        List<Message> remap(List<Message> messages);
    }

    /** A text stream being restored. */
    interface StreamingText extends Consumer<String> {
        void finish();
    }

    /** No privacy layer: messages pass unchanged. */
    PrivacyHook NONE = session -> new Turn() {
        @Override
        public Message sanitise(Message message) {
            return message;
        }

        @Override
        public Message restore(Message message) {
            return message;
        }

        @Override
        public StreamingText restoreStream(Consumer<String> downstream) {
            return new StreamingText() {
                @Override
                public void accept(String text) {
                    downstream.accept(text);
                }

                @Override
                public void finish() {
                    // Nothing is ever held back.
                }
            };
        }

        @Override
        public String toolArguments(Part.ToolCall call) {
            return call.arguments();
        }

        @Override
        public Part.ToolResult toolResult(Part.ToolCall call, Part.ToolResult result) {
            return result;
        }

        @Override
        public List<VaultRow> newVaultRows() {
            return List.of();
        }

        @Override
        public List<Message> remap(List<Message> messages) {
            return messages;
        }
    };
}

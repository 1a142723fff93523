package dev.parley.tokens;

import dev.parley.InvalidInputException;
import dev.parley.domain.Message;
import dev.parley.domain.Part;
import dev.parley.domain.Role;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageTokensTest {
    private final MessageTokens gpt4o = MessageTokens.forModel("gpt-4o");

    @Test
    void aMessageCountsItsTextPlusThreeTokensOfFramingAndOneForItsRole() {
        assertThat(gpt4o.count(Message.user("hello world"))).isEqualTo(2 + 4);
    }

    @Test
    void aRequestAddsThreeTokensToPrimeTheReply() {
        assertThat(gpt4o.count(List.of(Message.system("hello world"), Message.user("hello world")))).isEqualTo(6 + 6 + 3);
        assertThat(gpt4o.replyPriming()).isEqualTo(3);
    }

    @Test
    void anAuthorNameCostsOneTokenPlusItsOwn() {
        assertThat(gpt4o.count(Message.user("hello world").withName("Ada"))).isEqualTo(6 + 1 + 1);
    }

    @Test
    void toolCallsCountTheirIdNameArgumentsAndFraming() {
        Message call = Message.toolCalls(List.of(new Part.ToolCall("call_abc123", "lookup", "{\"city\":\"Lisbon\"}")));
        Message result = Message.toolResult("call_abc123", "hello world");

        assertThat(gpt4o.count(call)).isEqualTo(4 + 3 + 4 + 1 + 6);
        assertThat(gpt4o.count(result)).isEqualTo(4 + 4 + 2);
    }

    @Test
    void imagesCountAsAHighDetailImage() {
        Message withImage = new Message(Role.USER, List.of(new Part.Text("hello world"),
                new Part.ImageRef("https://example.org/a.png", "image/png")), null, Map.of());

        assertThat(gpt4o.count(withImage)).isEqualTo(6 + 765);
    }

    @Test
    void opaquePartsCountOnlyForTheModelTheyAreReplayedTo() {
        Message reasoning = new Message(Role.ASSISTANT, List.of(new Part.Text("hello world"),
                new Part.Opaque("openai", "gpt-4o", "{\"city\":\"Lisbon\"}")), null, Map.of());

        assertThat(gpt4o.count(reasoning)).isEqualTo(6 + 6);
        assertThat(MessageTokens.forModel("openai/GPT-4o").count(reasoning)).isEqualTo(6 + 6);
        assertThat(MessageTokens.forModel("gpt-4.1").count(reasoning)).isEqualTo(6);
        assertThat(MessageTokens.of(Tokenizers.o200kBase()).count(reasoning)).isEqualTo(6);
    }

    @Test
    void metadataIsNeverSentSoNeverCounted() {
        assertThat(gpt4o.count(Message.user("hello world").withMetadata(Map.of("k", "a long value that is not sent"))))
                .isEqualTo(6);
    }

    @Test
    void customFramingIsValidated() {
        MessageTokens bare = MessageTokens.of(Tokenizers.o200kBase(), new Framing(0, 0, 0, 0, 0), null);

        assertThat(bare.count(List.of(Message.user("hello world")))).isEqualTo(2);
        assertThatThrownBy(() -> new Framing(-1, 0, 0, 0, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessage("perMessage must be >= 0: -1");
    }
}

package dev.parley.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.parley.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenizersTest {
    private static final EncodingRegistry JTOKKIT = Encodings.newLazyEncodingRegistry();

    @Test
    void exactEncodingsCountKnownStringsAsOpenAiDoes() {
        assertThat(Tokenizers.cl100kBase().count("tiktoken is great!")).isEqualTo(6);
        assertThat(Tokenizers.o200kBase().count("hello world")).isEqualTo(2);
        assertThat(Tokenizers.o200kBase().count("")).isZero();
        assertThat(Tokenizers.o200kBase().name()).isEqualTo("o200k_base");
        assertThat(Tokenizers.cl100kBase().name()).isEqualTo("cl100k_base");
    }

    @Test
    void exactEncodingsAgreeWithJTokkitOnTheWholeSample() {
        for (TokenSamples.Sample sample : TokenSamples.all()) {
            assertThat(Tokenizers.o200kBase().count(sample.text())).as(sample.kind())
                    .isEqualTo(JTOKKIT.getEncoding(EncodingType.O200K_BASE).countTokensOrdinary(sample.text()));
            assertThat(Tokenizers.cl100kBase().count(sample.text())).as(sample.kind())
                    .isEqualTo(JTOKKIT.getEncoding(EncodingType.CL100K_BASE).countTokensOrdinary(sample.text()));
        }
    }

    @Test
    void specialTokenMarkupInUserTextIsCountedAsOrdinaryText() {
        assertThat(Tokenizers.o200kBase().count("<|endoftext|>")).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o", "gpt-4o-mini-2024-07-18", "chatgpt-4o-latest", "gpt-4.1-nano", "gpt-4.5-preview", "gpt-5",
            "gpt-5-mini", "gpt-5.1", "gpt-oss-120b", "o1", "o1-mini", "o3-mini-2025-01-31", "o4-mini", "openai/gpt-4o", "GPT-4O"})
    void theGpt4oGpt41Gpt5AndOSeriesFamiliesUseO200k(String model) {
        assertThat(Tokenizers.forModel(model)).isSameAs(Tokenizers.o200kBase());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4", "gpt-4-0613", "gpt-4-turbo", "gpt-4-32k", "gpt-3.5-turbo-0125", "text-embedding-3-small"})
    void theGpt4AndGpt35FamiliesUseCl100k(String model) {
        assertThat(Tokenizers.forModel(model)).isSameAs(Tokenizers.cl100kBase());
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude-sonnet-4-5", "gemini-2.5-pro", "llama3.1:8b", "mistral-large-latest", "o10", "omni", "gpt4all"})
    void otherModelsGetTheEstimator(String model) {
        assertThat(Tokenizers.forModel(model)).isSameAs(EstimatingTokenizer.standard());
        assertThat(Tokenizers.exactFor(model)).isEmpty();
    }

    @Test
    void aMissingModelNameIsAnErrorNamingTheField() {
        assertThatThrownBy(() -> Tokenizers.forModel(" ")).isInstanceOf(InvalidInputException.class)
                .hasMessage("model is required").extracting("field").isEqualTo("model");
        assertThatThrownBy(() -> Tokenizers.forModel(null)).isInstanceOf(InvalidInputException.class);
    }
}

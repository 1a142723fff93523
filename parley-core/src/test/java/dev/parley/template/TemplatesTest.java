package dev.parley.template;

import dev.parley.InvalidInputException;
import dev.parley.NotFoundException;
import dev.parley.Parley;
import dev.parley.Session;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplatesTest {
    private final TemplateRegistry registry = TemplateRegistry.withBuiltIns();

    @Test
    void threeBuiltInTemplatesAreRegistered() {
        assertThat(registry.list()).extracting(SessionTemplate::name)
                .containsExactly("coding-assistant", "creative-writing", "customer-support");
        assertThat(registry.require("customer-support").variables()).containsExactly("company", "product");
    }

    @Test
    void aSessionCreatedFromATemplateHasItsVariablesFilledIn() {
        try (Parley parley = Parley.inMemory()) {
            Session s = parley.create(registry.require("customer-support")
                    .apply(Map.of("company", "Acme", "product", "Rocket Skates")).user("bob").build());
            assertThat(s.messages().getFirst().text()).startsWith("You are a support agent for Acme's Rocket Skates.");
            assertThat(s.messages()).hasSize(3);
            assertThat(s.metadata().all()).containsEntry("company", "Acme").containsEntry("template", "customer-support");
            assertThat(s.info().settings()).containsEntry("model.temperature", "0.3");
        }
    }

    @Test
    void aMissingVariableOrTemplateIsNamed() {
        assertThatThrownBy(() -> registry.require("coding-assistant").apply(Map.of()))
                .isInstanceOf(InvalidInputException.class).hasMessage("template coding-assistant needs variable language");
        assertThatThrownBy(() -> registry.require("poetry")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no template poetry");
    }
}

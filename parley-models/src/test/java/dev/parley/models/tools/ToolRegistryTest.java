package dev.parley.models.tools;

import dev.parley.InvalidInputException;
import dev.parley.domain.Part;
import dev.parley.models.ToolSpec;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolRegistryTest {
    enum Unit { CELSIUS, FAHRENHEIT }

    record Address(String street, @ToolParam(description = "Postal code") String zip) {
    }

    record Booking(@ToolParam(description = "Guest name") String guest, int nights, double budget, boolean breakfast,
                   Unit unit, List<String> tags, Address address, Optional<String> note, LocalDate arrival,
                   Map<String, Integer> extras) {
    }

    record Weather(String city, Optional<Unit> unit) {
    }

    record Node(String name, List<Node> children) {
    }

    static final class Calendar {
        @Tool(description = "Adds an event")
        String addEvent(@ToolParam(name = "title", description = "What happens") String title, int durationMinutes) {
            return "added " + title + " (" + durationMinutes + " min)";
        }

        @Tool(name = "move_event", description = "Moves an event")
        Map<String, Object> move(Weather weather) {
            return Map.of("moved", weather.city());
        }

        @Tool(description = "Always fails")
        void explode() {
            throw new IllegalStateException("the calendar is on fire");
        }

        String notATool() {
            return "hidden";
        }
    }

    @Test
    void aRecordsComponentsBecomeTheArgumentsSchemaWithTypesDescriptionsAndRequiredFields() {
        ToolRegistry registry = new ToolRegistry().register("book", "Books a room", Booking.class, b -> "ok");

        ToolSpec spec = registry.spec("book").orElseThrow();

        assertThat(spec.description()).isEqualTo("Books a room");
        assertThat(spec.parametersSchema()).isEqualTo("{\"type\":\"object\",\"properties\":{"
                + "\"guest\":{\"type\":\"string\",\"description\":\"Guest name\"},"
                + "\"nights\":{\"type\":\"integer\"},"
                + "\"budget\":{\"type\":\"number\"},"
                + "\"breakfast\":{\"type\":\"boolean\"},"
                + "\"unit\":{\"type\":\"string\",\"enum\":[\"CELSIUS\",\"FAHRENHEIT\"]},"
                + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
                + "\"address\":{\"type\":\"object\",\"properties\":{\"street\":{\"type\":\"string\"},"
                + "\"zip\":{\"type\":\"string\",\"description\":\"Postal code\"}},\"required\":[\"street\",\"zip\"],"
                + "\"additionalProperties\":false},"
                + "\"note\":{\"type\":\"string\"},"
                + "\"arrival\":{\"type\":\"string\",\"format\":\"date\"},"
                + "\"extras\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}},"
                + "\"required\":[\"guest\",\"nights\",\"budget\",\"breakfast\",\"unit\",\"tags\",\"address\",\"arrival\",\"extras\"],"
                + "\"additionalProperties\":false}");
    }

    @Test
    void theModelsArgumentsAreBoundToTheRecordAndTheResultIsSentAsJson() {
        ToolRegistry registry = new ToolRegistry().register("book", "Books a room", Booking.class,
                b -> Map.of("guest", b.guest(), "nights", b.nights(), "zip", b.address().zip(), "note", b.note().orElse("none"),
                        "arrival", b.arrival().toString(), "unit", b.unit().name(), "extras", b.extras()));

        Part.ToolResult result = registry.execute(new Part.ToolCall("c1", "book", "{\"guest\":\"Ada\",\"nights\":2,\"budget\":300.5,"
                + "\"breakfast\":true,\"unit\":\"CELSIUS\",\"tags\":[\"quiet\"],\"address\":{\"street\":\"Main\",\"zip\":\"75001\"},"
                + "\"arrival\":\"2026-12-24\",\"extras\":{\"towels\":2}}"));

        assertThat(result.isError()).isFalse();
        assertThat(result.callId()).isEqualTo("c1");
        assertThat(result.content()).contains("\"guest\":\"Ada\"", "\"nights\":2", "\"zip\":\"75001\"", "\"note\":\"none\"",
                "\"arrival\":\"2026-12-24\"", "\"unit\":\"CELSIUS\"", "\"towels\":2");
    }

    @Test
    void annotatedMethodsAreRegisteredWithTheirParametersOrTheirRecordAsTheSchema() {
        ToolRegistry registry = new ToolRegistry().register(new Calendar());

        assertThat(registry.specs()).extracting(ToolSpec::name).containsExactly("addEvent", "explode", "move_event");
        assertThat(registry.spec("addEvent").orElseThrow().parametersSchema()).isEqualTo("{\"type\":\"object\",\"properties\":{"
                + "\"title\":{\"type\":\"string\",\"description\":\"What happens\"},\"durationMinutes\":{\"type\":\"integer\"}},"
                + "\"required\":[\"title\",\"durationMinutes\"],\"additionalProperties\":false}");
        assertThat(registry.spec("move_event").orElseThrow().parametersSchema()).isEqualTo("{\"type\":\"object\",\"properties\":{"
                + "\"city\":{\"type\":\"string\"},\"unit\":{\"type\":\"string\",\"enum\":[\"CELSIUS\",\"FAHRENHEIT\"]}},"
                + "\"required\":[\"city\"],\"additionalProperties\":false}");
        assertThat(registry.execute(new Part.ToolCall("c", "addEvent", "{\"title\":\"Standup\",\"durationMinutes\":15}")).content())
                .isEqualTo("added Standup (15 min)");
        assertThat(registry.execute(new Part.ToolCall("c", "move_event", "{\"city\":\"Oslo\"}")).content())
                .isEqualTo("{\"moved\":\"Oslo\"}");
    }

    @Test
    void anExceptionInAToolBecomesAnErrorResultNamingTheTool() {
        ToolRegistry registry = new ToolRegistry().register(new Calendar());

        Part.ToolResult result = registry.execute(new Part.ToolCall("c9", "explode", "{}"));

        assertThat(result).isEqualTo(new Part.ToolResult("c9",
                "tool 'explode' failed: IllegalStateException: the calendar is on fire", true));
    }

    @Test
    void unknownToolsBrokenJsonMissingAndMistypedArgumentsBecomeErrorResultsTheModelCanReadAndFix() {
        ToolRegistry registry = new ToolRegistry().register("weather", "Weather", Weather.class, w -> w.city())
                .register(new Calendar());

        assertThat(registry.execute(new Part.ToolCall("a", "teleport", "{}")))
                .satisfies(r -> assertThat(r.isError()).isTrue())
                .extracting(Part.ToolResult::content).asString()
                .isEqualTo("unknown tool 'teleport'; the tools are: weather, addEvent, explode, move_event");
        assertThat(registry.execute(new Part.ToolCall("b", "weather", "{\"city\": \"Par")).content())
                .startsWith("the arguments of tool 'weather' are not valid JSON");
        assertThat(registry.execute(new Part.ToolCall("c", "weather", "[1]")).content())
                .isEqualTo("the arguments of tool 'weather' must be a JSON object");
        assertThat(registry.execute(new Part.ToolCall("d", "weather", "{\"unit\":\"CELSIUS\"}")).content())
                .isEqualTo("tool 'weather' needs the argument 'city'");
        assertThat(registry.execute(new Part.ToolCall("e", "weather", "{\"city\":\"Rome\",\"unit\":\"KELVIN\"}")).content())
                .startsWith("the arguments of tool 'weather' do not fit its schema");
        assertThat(registry.execute(new Part.ToolCall("f", "weather", "{\"city\":\"Rome\",\"wind\":true}")).content())
                .startsWith("the arguments of tool 'weather' do not fit its schema").contains("wind");
        assertThat(registry.execute(new Part.ToolCall("g", "addEvent", "{\"title\":\"x\",\"durationMinutes\":\"long\"}")).content())
                .startsWith("the arguments of tool 'addEvent' do not fit its schema");
        assertThat(registry.execute(new Part.ToolCall("h", "weather", "")).content())
                .isEqualTo("tool 'weather' needs the argument 'city'");
    }

    @Test
    void optionalArgumentsMayBeLeftOut() {
        ToolRegistry registry = new ToolRegistry().register("weather", "Weather", Weather.class,
                w -> w.city() + " in " + w.unit().map(Unit::name).orElse("default units"));

        assertThat(registry.execute(new Part.ToolCall("a", "weather", "{\"city\":\"Rome\"}")).content()).isEqualTo("Rome in default units");
    }

    @Test
    void registrationMistakesAreClearErrors() {
        ToolRegistry registry = new ToolRegistry().register("weather", "Weather", Weather.class, w -> "");

        assertThatThrownBy(() -> registry.register("weather", "Again", Weather.class, w -> ""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'weather' is already registered");
        assertThatThrownBy(() -> registry.register("tree", "Recursive", Node.class, n -> ""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("tool 'tree'").hasMessageContaining("contain themselves");
        assertThatThrownBy(() -> registry.register("bad name!", "x", Weather.class, w -> ""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("1-64 characters");
        assertThatThrownBy(() -> registry.register(new Object()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has no @Tool method");
        assertThat(registry.specs()).extracting(ToolSpec::name).containsExactly("weather");
    }
}

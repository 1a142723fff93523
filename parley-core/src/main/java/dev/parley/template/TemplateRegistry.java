package dev.parley.template;

import dev.parley.NotFoundException;
import dev.parley.domain.Message;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** Named session templates. {@link #withBuiltIns()} starts with three examples users can copy. */
public final class TemplateRegistry {
    private final Map<String, SessionTemplate> templates = new ConcurrentSkipListMap<>();

    public static TemplateRegistry empty() {
        return new TemplateRegistry();
    }

    /** A registry holding {@code coding-assistant}, {@code customer-support} and {@code creative-writing}. */
    public static TemplateRegistry withBuiltIns() {
        TemplateRegistry registry = new TemplateRegistry();
        registry.register(new SessionTemplate("coding-assistant", "A careful pair programmer for one language.",
                "You are a senior {{language}} engineer. Answer with working, idiomatic {{language}} code and explain "
                        + "trade-offs briefly. Ask before assuming requirements.",
                List.of(), Map.of("category", "coding"), Map.of("temperature", "0.2")));
        registry.register(new SessionTemplate("customer-support", "A polite support agent for one product.",
                "You are a support agent for {{company}}'s {{product}}. Be polite and concise, never invent policies, "
                        + "and hand over to a human when the customer asks for one.",
                List.of(Message.user("Hi, I need help with my order."),
                        Message.assistant("Of course. Could you share your order number?")),
                Map.of("category", "support", "company", "{{company}}"), Map.of("temperature", "0.3")));
        registry.register(new SessionTemplate("creative-writing", "A co-author for fiction in one genre.",
                "You are a co-author of {{genre}} fiction. Keep the voice consistent, show rather than tell, and "
                        + "end each reply with a question about where the story should go.",
                List.of(), Map.of("category", "writing"), Map.of("temperature", "0.9")));
        return registry;
    }

    public TemplateRegistry register(SessionTemplate template) {
        templates.put(template.name(), template);
        return this;
    }

    public SessionTemplate require(String name) {
        SessionTemplate template = templates.get(name);
        if (template == null) {
            throw new NotFoundException("no template " + name + " (known: " + String.join(", ", templates.keySet()) + ")");
        }
        return template;
    }

    public List<SessionTemplate> list() {
        return List.copyOf(templates.values());
    }
}

package dev.parley.cli;

import dev.parley.store.SessionImage;
import dev.parley.store.SessionStore;
import dev.parley.store.SessionStoreProvider;
import dev.parley.store.memory.InMemorySessionStore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code tampering:} (tests only): an in-memory store that keeps every imported session with one
 * counter more than it was given, so that a migration into it must fail verification.
 */
public final class TamperingStoreProvider implements SessionStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("tampering");
    }

    @Override
    public SessionStore open(String location, Clock clock) {
        SessionStore real = new InMemorySessionStore(clock);
        return (SessionStore) Proxy.newProxyInstance(SessionStore.class.getClassLoader(), new Class<?>[]{SessionStore.class},
                (proxy, method, args) -> {
                    Object[] actual = args;
                    if (method.getName().equals("importSession")) {
                        actual = new Object[]{tampered((SessionImage) args[0])};
                    } else if (method.getName().equals("describe")) {
                        return "tampering:";
                    }
                    try {
                        return method.invoke(real, actual);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static SessionImage tampered(SessionImage image) {
        Map<String, Long> counters = new HashMap<>(image.counters());
        counters.merge("tampered", 1L, Long::sum);
        return new SessionImage(image.info(), image.branches(), image.checkpoints(), image.entries(), image.vault(), counters);
    }

    @Override
    public String usage() {
        return "tampering:         (tests) an in-memory store that alters what it imports";
    }
}

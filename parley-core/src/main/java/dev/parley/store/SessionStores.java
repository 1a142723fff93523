package dev.parley.store;

import dev.parley.InvalidInputException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Opens stores by location through the registered {@link SessionStoreProvider}s. */
public final class SessionStores {
    /** Where a store lives when nothing is configured. */
    public static final String DEFAULT_LOCATION = "sqlite:./parley-data/parley.db";

    private SessionStores() {
    }

    public static List<SessionStoreProvider> providers() {
        List<SessionStoreProvider> providers = new ArrayList<>();
        ServiceLoader.load(SessionStoreProvider.class, SessionStores.class.getClassLoader()).forEach(providers::add);
        return providers;
    }

    /** Opens the store at {@code location} ({@code scheme:rest}); an unknown scheme is an error listing the known ones. */
    public static SessionStore open(String location, Clock clock) {
        if (location == null || location.isBlank()) {
            throw new InvalidInputException("store", "store location is empty");
        }
        int colon = location.indexOf(':');
        if (colon < 1) {
            throw new InvalidInputException("store", "store location must start with a scheme such as sqlite: — got '" + location + "'");
        }
        String scheme = location.substring(0, colon).toLowerCase(Locale.ROOT);
        List<SessionStoreProvider> providers = providers();
        for (SessionStoreProvider provider : providers) {
            if (provider.schemes().contains(scheme)) {
                return provider.open(location, clock);
            }
        }
        StringBuilder known = new StringBuilder();
        providers.forEach(p -> known.append("\n  ").append(p.usage()));
        throw new InvalidInputException("store", "unknown store '" + scheme + ":'; available:" + known);
    }
}

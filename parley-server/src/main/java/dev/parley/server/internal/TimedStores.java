package dev.parley.server.internal;

import dev.parley.store.SessionStore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * Wraps a store so every call is timed into {@code parley.store.latency}, by operation (the method's name); the
 * behaviour is the delegate's. A proxy rather than a hand-written decorator, so operations added to the store SPI are
 * timed (and forwarded) without a change here.
 */
final class TimedStores {
    private static final Set<String> UNTIMED = Set.of("describe", "accessCounter", "close", "toString", "hashCode", "equals");

    private TimedStores() {
    }

    static SessionStore wrap(SessionStore delegate, Metrics metrics) {
        return (SessionStore) Proxy.newProxyInstance(SessionStore.class.getClassLoader(), new Class<?>[]{SessionStore.class},
                (proxy, method, args) -> {
                    if (UNTIMED.contains(method.getName())) {
                        return invoke(method, delegate, args);
                    }
                    return metrics.store(method.getName(), () -> invoke(method, delegate, args));
                });
    }

    /** Calls the delegate, rethrowing what it threw as itself (stores throw unchecked exceptions only). */
    private static Object invoke(java.lang.reflect.Method method, SessionStore delegate, Object[] args) {
        try {
            return method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the store threw a checked exception", e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call the store's " + method.getName(), e);
        }
    }
}

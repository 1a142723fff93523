package dev.parley.context;

/**
 * Told when {@link Quota#prepare} had to drop or summarise history to fit a request. Called on the
 * preparing thread, before the context is returned; an exception it throws fails the preparation.
 */
@FunctionalInterface
public interface OverflowListener {

    void onOverflow(Overflow overflow);
}

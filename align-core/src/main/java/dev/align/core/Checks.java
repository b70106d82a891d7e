package dev.align.core;

/**
 * Argument and state checks with {@code %s} message templates, in the style of Guava's
 * {@code Preconditions}: the message names the offending values so the caller knows what to fix.
 */
public final class Checks {

    private Checks() {}

    /**
     * Fails with {@link IllegalArgumentException} when a caller-supplied value is wrong.
     *
     * @param condition what must hold
     * @param template message with {@code %s} placeholders
     * @param args values for the placeholders
     */
    public static void checkArgument(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(template, args));
        }
    }

    /**
     * Fails with {@link IllegalStateException} when an object is used in the wrong state.
     *
     * @param condition what must hold
     * @param template message with {@code %s} placeholders
     * @param args values for the placeholders
     */
    public static void checkState(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalStateException(String.format(template, args));
        }
    }
}

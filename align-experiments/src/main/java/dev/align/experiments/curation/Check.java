package dev.align.experiments.curation;

/**
 * One self-check of a finished experiment (CI runs {@code --quick --check}).
 *
 * @param name what is checked
 * @param passed whether it holds
 * @param detail the numbers behind it
 */
public record Check(String name, boolean passed, String detail) {}

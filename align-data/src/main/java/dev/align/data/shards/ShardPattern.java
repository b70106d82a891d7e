package dev.align.data.shards;

import static dev.align.core.Checks.checkArgument;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands a shard list written with braces, as WebDataset and OpenCLIP accept it (the
 * {@code braceexpand} semantics): {@code data/{00000..00099}.tar} gives 100 names with the zero
 * padding of the wider bound kept, {@code {a,b}} gives one name per alternative, several braces
 * give their cartesian product (left brace varies slowest), and {@code ::} separates independent
 * patterns ({@code a.tar::b/{0..1}.tar}), as in OpenCLIP's {@code --train-data}. Ranges may count
 * down ({@code {3..1}}). Braces may nest inside comma lists ({@code {a,b{1..2}}}).
 */
public final class ShardPattern {

    private ShardPattern() {}

    /**
     * All names {@code pattern} stands for, in order.
     *
     * @throws IllegalArgumentException if a brace is unbalanced, a range bound is not an integer,
     *     or the expansion would exceed a million names
     */
    public static List<String> expand(String pattern) {
        checkArgument(pattern != null && !pattern.isBlank(), "shard pattern is empty");
        List<String> out = new ArrayList<>();
        for (String part : pattern.split("::", -1)) {
            checkArgument(!part.isEmpty(), "empty shard pattern between '::' in %s", pattern);
            out.addAll(expandOne(part, pattern));
            checkArgument(out.size() <= 1_000_000,
                    "shard pattern %s expands to more than a million names", pattern);
        }
        return List.copyOf(out);
    }

    private static List<String> expandOne(String s, String whole) {
        int open = s.indexOf('{');
        if (open < 0) {
            checkArgument(s.indexOf('}') < 0, "unbalanced '}' in shard pattern %s", whole);
            return List.of(s);
        }
        checkArgument(s.substring(0, open).indexOf('}') < 0,
                "unbalanced '}' in shard pattern %s", whole);
        int close = matching(s, open, whole);
        String prefix = s.substring(0, open);
        String body = s.substring(open + 1, close);
        List<String> suffixes = expandOne(s.substring(close + 1), whole);
        List<String> alternatives = new ArrayList<>();
        List<String> commaParts = splitTopLevel(body);
        if (commaParts.size() > 1) {
            for (String alt : commaParts) {
                alternatives.addAll(expandOne(alt, whole));
            }
        } else if (body.contains("..")) {
            alternatives.addAll(range(body, whole));
        } else {
            // braceexpand keeps a brace with a single alternative literally: "{x}" -> "{x}".
            for (String inner : expandOne(body, whole)) {
                alternatives.add("{" + inner + "}");
            }
        }
        List<String> out = new ArrayList<>(alternatives.size() * suffixes.size());
        for (String a : alternatives) {
            for (String b : suffixes) {
                out.add(prefix + a + b);
                checkArgument(out.size() <= 1_000_000,
                        "shard pattern %s expands to more than a million names", whole);
            }
        }
        return out;
    }

    private static int matching(String s, int open, String whole) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced '{' in shard pattern " + whole);
    }

    private static List<String> splitTopLevel(String body) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(body.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(body.substring(start));
        return parts;
    }

    private static List<String> range(String body, String whole) {
        int dots = body.indexOf("..");
        String lo = body.substring(0, dots);
        String hi = body.substring(dots + 2);
        checkArgument(lo.matches("-?\\d+") && hi.matches("-?\\d+"),
                "range {%s} in shard pattern %s must have integer bounds", body, whole);
        long a = Long.parseLong(lo);
        long b = Long.parseLong(hi);
        checkArgument(Math.abs(b - a) < 1_000_000,
                "range {%s} in shard pattern %s has more than a million values", body, whole);
        // Zero padding: the width of a bound written with a leading zero is kept (braceexpand).
        boolean padded = (lo.length() > 1 && lo.charAt(0) == '0')
                || (hi.length() > 1 && hi.charAt(0) == '0');
        int width = padded ? Math.max(lo.length(), hi.length()) : 0;
        List<String> out = new ArrayList<>();
        long step = a <= b ? 1 : -1;
        for (long v = a; ; v += step) {
            String digits = Long.toString(Math.abs(v));
            int pad = width - digits.length() - (v < 0 ? 1 : 0);
            out.add((v < 0 ? "-" : "") + "0".repeat(Math.max(0, pad)) + digits);
            if (v == b) {
                break;
            }
        }
        return out;
    }
}
